import { CorrespondenceStatus, type Rng } from '@oxels/core';
import type { ViewPairSample } from '@oxels/dataset';
import { assert } from '../../errors.ts';
import type { ViewPairSampleOptions } from './viewPairSampleOptions.ts';

/** One pair's share of a LossBatch (B = 1). */
export interface ViewPairExample {
  width: number;
  height: number;
  /** [H, W, 3] float32 in [0, 1]. */
  view1: Float32Array;
  view2: Float32Array;
  /** [N] int32, [N] int32, [N] uint8: as in LossBatch. */
  idx1: Int32Array;
  idx2: Int32Array;
  isPositive: Uint8Array;
  /** [N] uint8, only with `hardNegatives`: 1 where idx2 holds the true match and the partner is mined. */
  mined?: Uint8Array;
}

/**
 * What `sampleViewPairPixels` draws for one pair: the crop windows and the sampled pixel indices, without
 * the images (a resumed run redraws these for the batches it already did, without decoding a PNG).
 */
export interface ViewPairPixels extends Omit<ViewPairExample, 'view1' | 'view2'> {
  /** Top-left corners (x, y) of the crop windows in views 1 and 2. */
  origin1: [number, number];
  origin2: [number, number];
}

/**
 * Turns a generated view pair into loss samples: `sampleViewPairPixels`, then the two crops as float32.
 * Pure given `rng`.
 */
export function sampleViewPair(
  sample: ViewPairSample,
  rng: Rng,
  options: ViewPairSampleOptions,
): ViewPairExample {
  const { origin1, origin2, ...pixels } = sampleViewPairPixels(sample, rng, options);
  const crop = (rgb: Uint8Array, [x, y]: [number, number]) =>
    cropToFloat(rgb, sample.meta.width, x, y, pixels.width, pixels.height);
  return { ...pixels, view1: crop(sample.rgbA, origin1), view2: crop(sample.rgbB, origin2) };
}

/**
 * The random part of `sampleViewPair`, reading only the correspondence data: a crop window in each
 * view when asked (see `cropShift`), positives drawn from the pair's MATCH entries whose A pixel and
 * B pixel (floor of the stored subpixel position) fall inside their windows, and negatives pairing a
 * random view-1 pixel with a random view-2 pixel, or, for the `localNegatives` share, a matched view-1
 * pixel with a view-2 pixel near its match, or, for the `hardNegatives` share, a matched view-1 pixel
 * marked for mining. Matches leaving the crops are dropped. Pure given `rng`. `o` is trusted as
 * `validateViewPairSampleOptions` left it (checked once per run, not per pair); only whether the crop
 * fits this pair's views is checked here.
 */
export function sampleViewPairPixels(
  sample: ViewPairSample,
  rng: Rng,
  o: ViewPairSampleOptions,
): ViewPairPixels {
  const { width: W, height: H } = sample.meta;
  const [cw, ch] = o.crop ?? [W, H];
  assert(
    cw >= 1 && ch >= 1 && cw <= W && ch <= H,
    'BAD_ARGUMENT',
    () => `sampleViewPair: crop ${cw}x${ch} does not fit in ${sample.meta.key}'s ${W}x${H} views`,
  );
  const x0 = rng.int(W - cw + 1);
  const y0 = rng.int(H - ch + 1);
  const matchesInA: number[] = [];
  for (let k = 0; k < sample.status.length; k++) {
    if (sample.status[k] !== CorrespondenceStatus.MATCH) continue;
    const a = sample.aIndex[k];
    if (inWindow(a % W, Math.floor(a / W), x0, y0, cw, ch)) matchesInA.push(k);
  }
  const [x1, y1] =
    o.cropShift === null ? [x0, y0] : followingWindow(sample, matchesInA, x0, y0, cw, ch, o.cropShift, rng);
  const candidates = matchesInA.filter((k) =>
    inWindow(Math.floor(sample.bXY[2 * k]), Math.floor(sample.bXY[2 * k + 1]), x1, y1, cw, ch),
  );
  const n = o.samples;
  const positives = Math.min(candidates.length, Math.round(n * o.positiveFraction));
  const locals = candidates.length ? Math.round((n - positives) * o.localNegatives) : 0;
  const hards = candidates.length ? Math.round((n - positives) * o.hardNegatives) : 0;
  const [rMin, rMax] = o.localRadius;
  /** Index in the crop of view A's pixel of match k. */
  const cropIndexA = (k: number) => {
    const a = sample.aIndex[k];
    return (Math.floor(a / W) - y0) * cw + ((a % W) - x0);
  };
  const idx1 = new Int32Array(n);
  const idx2 = new Int32Array(n);
  const isPositive = new Uint8Array(n);
  const mined = new Uint8Array(n);
  /** Crop index in view B of the pixel holding match k. */
  const cropIndexB = (k: number) =>
    (Math.floor(sample.bXY[2 * k + 1]) - y1) * cw + (Math.floor(sample.bXY[2 * k]) - x1);
  for (let i = 0; i < n; i++) {
    if (i < positives) {
      // Partial Fisher-Yates over the candidates: distinct matches.
      const j = i + rng.int(candidates.length - i);
      [candidates[i], candidates[j]] = [candidates[j], candidates[i]];
      const k = candidates[i];
      idx1[i] = cropIndexA(k);
      idx2[i] = cropIndexB(k);
      isPositive[i] = 1;
    } else if (i < positives + locals) {
      const k = candidates[rng.int(candidates.length)];
      idx1[i] = cropIndexA(k);
      idx2[i] = nearbyPixel(sample.bXY[2 * k] - x1, sample.bXY[2 * k + 1] - y1, rMin, rMax, cw, ch, rng);
    } else if (i < positives + locals + hards) {
      const k = candidates[rng.int(candidates.length)];
      idx1[i] = cropIndexA(k);
      idx2[i] = cropIndexB(k);
      mined[i] = 1;
    } else {
      idx1[i] = rng.int(cw * ch);
      idx2[i] = rng.int(cw * ch);
    }
  }
  return {
    width: cw,
    height: ch,
    origin1: [x0, y0],
    origin2: [x1, y1],
    idx1,
    idx2,
    isPositive,
    ...(o.hardNegatives > 0 && { mined }),
  };
}

function inWindow(x: number, y: number, x0: number, y0: number, w: number, h: number): boolean {
  return x >= x0 && x < x0 + w && y >= y0 && y < y0 + h;
}

/**
 * The origin of view 2's crop window: view 1's window (x0, y0) moved by the median displacement of the
 * matches inside it (none: not moved) and by a uniform offset in [-shift, shift] on each axis, clamped
 * into the view.
 */
function followingWindow(
  sample: ViewPairSample,
  matches: number[],
  x0: number,
  y0: number,
  w: number,
  h: number,
  shift: number,
  rng: Rng,
): [number, number] {
  const { width: W, height: H } = sample.meta;
  const median = (values: number[]) => (values.length ? values.sort((a, b) => a - b)[values.length >> 1] : 0);
  const dx = median(matches.map((k) => sample.bXY[2 * k] - (sample.aIndex[k] % W)));
  const dy = median(matches.map((k) => sample.bXY[2 * k + 1] - Math.floor(sample.aIndex[k] / W)));
  const place = (origin: number, size: number, full: number) =>
    Math.min(full - size, Math.max(0, Math.round(origin + rng.uniform(-shift, shift))));
  return [place(x0 + dx, w, W), place(y0 + dy, h, H)];
}

/**
 * A pixel of a w x h window whose centre lies at a distance in [rMin, rMax] from (u, v), in a uniformly
 * drawn direction, clamped into the window (a clamped pixel may come closer than rMin: rare when the
 * window is much larger than rMax).
 */
function nearbyPixel(
  u: number,
  v: number,
  rMin: number,
  rMax: number,
  w: number,
  h: number,
  rng: Rng,
): number {
  const r = rng.uniform(rMin, rMax);
  const angle = rng.uniform(0, 2 * Math.PI);
  const x = Math.min(w - 1, Math.max(0, Math.floor(u + r * Math.cos(angle))));
  const y = Math.min(h - 1, Math.max(0, Math.floor(v + r * Math.sin(angle))));
  return y * w + x;
}

/** The crop of an RGB8 image as float32 in [0, 1]. */
function cropToFloat(
  rgb: Uint8Array,
  W: number,
  x0: number,
  y0: number,
  cw: number,
  ch: number,
): Float32Array {
  const out = new Float32Array(cw * ch * 3);
  for (let y = 0; y < ch; y++) {
    const src = ((y0 + y) * W + x0) * 3;
    for (let i = 0; i < cw * 3; i++) out[y * cw * 3 + i] = rgb[src + i] / 255;
  }
  return out;
}
