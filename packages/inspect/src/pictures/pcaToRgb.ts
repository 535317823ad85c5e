import { createRgbImage, type RgbImage } from '@oxels/image';
import { assert } from '../errors.ts';
import type { DescriptorMap } from './DescriptorMap.ts';
import { symmetricEigen } from './symmetricEigen.ts';

/**
 * A 3-component PCA projection of descriptors to colours: rgb_j = clamp((dot(d - mean, axis_j) - lo_j)
 * / (hi_j - lo_j), 0, 1) for j = R, G, B. Fit it on one map (or several stacked) and apply it to others,
 * so that the two views of a pair are coloured alike.
 */
export interface PcaBasis {
  channels: number;
  /** [C] mean descriptor. */
  mean: Float64Array;
  /** [3, C] row-major unit axes, largest variance first (zero rows when C < 3). */
  axes: Float64Array;
  /** [3] robust low and high ends of each component (percentiles of the fitted data). */
  lo: Float64Array;
  hi: Float64Array;
  /** [3] fraction of the total variance along each axis. */
  explained: Float64Array;
}

/** Options of `fitPca` and `pcaToRgb`. */
export interface PcaOptions {
  /** Percentiles (in [0, 1]) mapped to 0 and 255: robust to a few outlying descriptors. */
  lowPercentile: number;
  highPercentile: number;
  /** Use every n-th pixel to fit (1 = all); the picture always covers every pixel. */
  stride: number;
  /** A basis fitted before (e.g. on the other view); when given, nothing is fitted. */
  basis: PcaBasis | null;
}

/** Defaults: 1st and 99th percentiles, every pixel, fit on the map itself. */
export const DEFAULT_PCA_OPTIONS: PcaOptions = {
  lowPercentile: 0.01,
  highPercentile: 0.99,
  stride: 1,
  basis: null,
};

function project(
  map: DescriptorMap,
  mean: Float64Array,
  axes: Float64Array,
  j: number,
  pixel: number,
): number {
  const c = map.channels;
  let x = 0;
  for (let k = 0; k < c; k++) x += (map.data[pixel * c + k] - mean[k]) * axes[j * c + k];
  return x;
}

function quantile(sorted: Float64Array, q: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, q * (sorted.length - 1)));
  const f = Math.floor(i);
  return f + 1 < sorted.length ? sorted[f] + (sorted[f + 1] - sorted[f]) * (i - f) : sorted[f];
}

/**
 * Fits the 3-component PCA of a descriptor map's pixels (covariance eigenvectors by Jacobi). Each axis's
 * sign is fixed so that its largest-magnitude entry is positive, so refits give the same colours.
 */
export function fitPca(map: DescriptorMap, options: Partial<PcaOptions> = {}): PcaBasis {
  const o = { ...DEFAULT_PCA_OPTIONS, ...options };
  assert(
    Number.isInteger(o.stride) && o.stride >= 1,
    'BAD_ARGUMENT',
    () => `fitPca: stride must be an integer >= 1 (got ${o.stride})`,
  );
  const c = map.channels;
  const pixels: number[] = [];
  for (let p = 0; p < map.width * map.height; p += o.stride) pixels.push(p);
  const mean = new Float64Array(c);
  for (const p of pixels) for (let k = 0; k < c; k++) mean[k] += map.data[p * c + k];
  for (let k = 0; k < c; k++) mean[k] /= pixels.length;
  const cov = new Float64Array(c * c);
  const d = new Float64Array(c);
  for (const p of pixels) {
    for (let k = 0; k < c; k++) d[k] = map.data[p * c + k] - mean[k];
    for (let i = 0; i < c; i++) for (let j = i; j < c; j++) cov[i * c + j] += d[i] * d[j];
  }
  for (let i = 0; i < c; i++) {
    for (let j = i; j < c; j++) {
      cov[i * c + j] /= pixels.length;
      cov[j * c + i] = cov[i * c + j];
    }
  }
  const { values, vectors } = symmetricEigen(cov, c);
  const totalVariance = values.reduce((a, b) => a + Math.max(0, b), 0);
  const axes = new Float64Array(3 * c);
  const explained = new Float64Array(3);
  for (let j = 0; j < Math.min(3, c); j++) {
    let big = 0;
    for (let k = 0; k < c; k++) if (Math.abs(vectors[j * c + k]) > Math.abs(vectors[j * c + big])) big = k;
    const sign = vectors[j * c + big] < 0 ? -1 : 1;
    for (let k = 0; k < c; k++) axes[j * c + k] = sign * vectors[j * c + k];
    explained[j] = totalVariance > 0 ? Math.max(0, values[j]) / totalVariance : 0;
  }
  const lo = new Float64Array(3);
  const hi = new Float64Array(3);
  const projected = new Float64Array(pixels.length);
  for (let j = 0; j < 3; j++) {
    pixels.forEach((p, i) => {
      projected[i] = project(map, mean, axes, j, p);
    });
    const sorted = projected.slice().sort();
    lo[j] = quantile(sorted, o.lowPercentile);
    hi[j] = quantile(sorted, o.highPercentile);
  }
  return { channels: c, mean, axes, lo, hi, explained };
}

/**
 * The descriptor map as colours: its first three principal components, robustly normalised (the
 * `lowPercentile`..`highPercentile` range of each maps to 0..255, clamped), as R, G and B. A component
 * without spread (constant map, or C < 3) is mid-grey. Pure; returns a W x H picture.
 */
export function pcaToRgb(map: DescriptorMap, options: Partial<PcaOptions> = {}): RgbImage {
  const basis = options.basis ?? fitPca(map, options);
  assert(
    basis.channels === map.channels,
    'BAD_ARGUMENT',
    () => `pcaToRgb: the basis was fitted on ${basis.channels} channels (got a map of ${map.channels})`,
  );
  const image = createRgbImage(map.width, map.height);
  for (let p = 0; p < map.width * map.height; p++) {
    for (let j = 0; j < 3; j++) {
      const span = basis.hi[j] - basis.lo[j];
      const t = span > 1e-12 ? (project(map, basis.mean, basis.axes, j, p) - basis.lo[j]) / span : 0.5;
      image.data[p * 3 + j] = Math.round(255 * Math.min(1, Math.max(0, t)));
    }
  }
  return image;
}
