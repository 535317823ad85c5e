import { createRgbImage, drawCircle, drawPlus, type Rgb, type RgbImage, viridis } from '@oxels/image';
import { assert } from '../errors.ts';
import type { DescriptorMap } from './DescriptorMap.ts';

/**
 * Descriptor distances of the oxel loss (docs/architecture.md#oxel-loss): max |diff| (inf), mean |diff|
 * (l1), mean diff^2 (l2).
 */
export type DescriptorNorm = 'inf' | 'l1' | 'l2';

/** Options of `distanceHeatmap`. */
export interface DistanceHeatmapOptions {
  norm: DescriptorNorm;
  /** The known true match of the query in this map, (u, v) pixel coordinates, marked with a red "+". */
  trueMatch: { u: number; v: number } | null;
  /** Integer upscaling of the picture, so that the markers stay readable on small maps. */
  scale: number;
  /** Draw the markers (best match: white circle; true match: red "+"). */
  markers: boolean;
}

/** Defaults of `distanceHeatmap`: inf norm, no true match, no upscaling, markers on. */
export const DEFAULT_DISTANCE_HEATMAP_OPTIONS: DistanceHeatmapOptions = {
  norm: 'inf',
  trueMatch: null,
  scale: 1,
  markers: true,
};

/** A distance heatmap and what it shows. */
export interface DistanceHeatmap {
  /** W*scale x H*scale picture: viridis of the normalised distance, reversed (near = yellow). */
  image: RgbImage;
  /** float32 [H, W]: the distance of every pixel's descriptor to the query. */
  distance: Float32Array;
  /** The nearest pixel (first in row-major order among ties) and its distance. */
  best: { x: number; y: number; distance: number };
  /** Smallest and largest distance, the ends of the colour scale. */
  range: [number, number];
}

const BEST_COLOUR: Rgb = [255, 255, 255];
const TRUE_COLOUR: Rgb = [255, 40, 40];

/**
 * How far each pixel's descriptor in `map` is from `query` (e.g. the descriptor of a pixel of view A,
 * `descriptorAt(mapA, x, y)`), as a heatmap over the map, with the nearest pixel (what a nearest-
 * neighbour matcher would answer) and, when given, the true match marked. Pure.
 *
 * @param query float32 [C], C = map.channels
 */
export function distanceHeatmap(
  query: Float32Array,
  map: DescriptorMap,
  options: Partial<DistanceHeatmapOptions> = {},
): DistanceHeatmap {
  const o = { ...DEFAULT_DISTANCE_HEATMAP_OPTIONS, ...options };
  const c = map.channels;
  assert(
    query.length === c,
    'BAD_ARGUMENT',
    () => `distanceHeatmap: query has ${query.length} channels (expected the map's ${c})`,
  );
  assert(
    o.norm === 'inf' || o.norm === 'l1' || o.norm === 'l2',
    'BAD_ARGUMENT',
    () => `distanceHeatmap: norm must be 'inf', 'l1' or 'l2' (got ${String(o.norm)})`,
  );
  assert(
    Number.isInteger(o.scale) && o.scale >= 1,
    'BAD_ARGUMENT',
    () => `distanceHeatmap: scale must be an integer >= 1 (got ${o.scale})`,
  );
  const n = map.width * map.height;
  const distance = new Float32Array(n);
  let bestPixel = 0;
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let p = 0; p < n; p++) {
    let d = 0;
    for (let k = 0; k < c; k++) {
      const diff = map.data[p * c + k] - query[k];
      if (o.norm === 'inf') d = Math.max(d, Math.abs(diff));
      else d += o.norm === 'l1' ? Math.abs(diff) : diff * diff;
    }
    if (o.norm !== 'inf') d /= c;
    distance[p] = d;
    d = distance[p]; // the float32 value, so that range and best name values of `distance` exactly
    if (d < lo) {
      lo = d;
      bestPixel = p;
    }
    if (d > hi) hi = d;
  }
  const s = o.scale;
  const image = createRgbImage(map.width * s, map.height * s);
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      const d = distance[Math.floor(y / s) * map.width + Math.floor(x / s)];
      image.data.set(viridis(hi > lo ? 1 - (d - lo) / (hi - lo) : 1), (y * image.width + x) * 3);
    }
  }
  const best = { x: bestPixel % map.width, y: Math.floor(bestPixel / map.width), distance: lo };
  if (o.markers) {
    const r = Math.max(3, 2 * s);
    drawCircle(image, (best.x + 0.5) * s, (best.y + 0.5) * s, r, BEST_COLOUR);
    if (o.trueMatch) drawPlus(image, o.trueMatch.u * s, o.trueMatch.v * s, r, TRUE_COLOUR);
  }
  return { image, distance, best, range: [lo, hi] };
}
