import { type Rng, sampleWithoutReplacement } from '@oxels/core';
import { assert } from '../../errors.ts';
import { landingPixel, type PixelMapping } from './pixelMapping.ts';

/** How many view-1 pixels to sample and how many of them get their true partner. */
export interface CorrespondenceSampleOptions {
  /** Number N of view-1 pixels, drawn without replacement; 'all' takes every pixel in order. Default 'all'. */
  samples: number | 'all';
  /**
   * Fraction of the *positive candidates* (sampled pixels with mask1 = 1 that land inside view 2) that
   * are paired with their true correspondence; rounded to a whole count. Default 1/8 (the paper's).
   */
  positiveFraction: number;
}

/** Defaults of `sampleCorrespondences`. */
export const DEFAULT_CORRESPONDENCE_SAMPLE_OPTIONS: CorrespondenceSampleOptions = {
  samples: 'all',
  positiveFraction: 1 / 8,
};

/** The partner of each sampled view-1 pixel, as the loss consumes it. All arrays have length N (or 2N). */
export interface CorrespondenceSample {
  /** [N] int32 flat pixel index y * width1 + x in view 1. */
  idx1: Int32Array;
  /** [N] int32 flat pixel index in view 2: the landing pixel (floor) for positives, uniform for negatives. */
  idx2: Int32Array;
  /** [N] uint8: 1 for a positive (true correspondence), 0 for a negative (random partner). */
  isPositive: Uint8Array;
  /** [N] uint8: mask1[idx1] * mask2[idx2], the loss's m_n. */
  valid: Uint8Array;
  /** [N, 2] float32 subpixel (u, v) in view 2 for positives; NaN for negatives. */
  xy2: Float32Array;
}

/**
 * Pairs N view-1 pixels with view-2 pixels for the contrastive loss (docs/architecture.md#training-samples):
 * a fraction of the pixels that can have a true partner get it (positives), every other sampled pixel gets
 * a uniformly random view-2 pixel (negative).
 *
 * @param mapping view 1 -> view 2 pixel mapping (see `pixelMapping`).
 * @param mask1 [height1 * width1] uint8, 1 where view 1 shows source content.
 * @param mask2 [height2 * width2] uint8, 1 where view 2 shows source content.
 */
export function sampleCorrespondences(
  mapping: PixelMapping,
  mask1: Uint8Array,
  mask2: Uint8Array,
  rng: Rng,
  options: Partial<CorrespondenceSampleOptions> = {},
): CorrespondenceSample {
  const o = { ...DEFAULT_CORRESPONDENCE_SAMPLE_OPTIONS, ...options };
  const n1 = mapping.width1 * mapping.height1;
  const n2 = mapping.width2 * mapping.height2;
  assert(
    mask1.length === n1 && mask2.length === n2,
    'BAD_ARGUMENT',
    () => `sampleCorrespondences: mask lengths (got ${mask1.length}, ${mask2.length}, expected ${n1}, ${n2})`,
  );
  const count = o.samples === 'all' ? n1 : o.samples;
  assert(
    Number.isInteger(count) && count > 0 && count <= n1,
    'BAD_ARGUMENT',
    () => `sampleCorrespondences: samples must be an integer in [1, ${n1}] or 'all' (got ${o.samples})`,
  );
  assert(
    o.positiveFraction >= 0 && o.positiveFraction <= 1,
    'BAD_ARGUMENT',
    () => `sampleCorrespondences: positiveFraction must be in [0, 1] (got ${o.positiveFraction})`,
  );

  let idx1: Int32Array;
  if (count === n1) {
    idx1 = new Int32Array(n1);
    for (let i = 0; i < n1; i++) idx1[i] = i;
  } else {
    idx1 = sampleWithoutReplacement(n1, count, rng);
  }

  // Positions k (into idx1) that may be positive; a partial Fisher-Yates picks the positives among them.
  const candidates: number[] = [];
  for (let k = 0; k < count; k++) {
    const i = idx1[k];
    if (mask1[i] && mapping.inside[i]) candidates.push(k);
  }
  const positives = Math.round(o.positiveFraction * candidates.length);
  const isPositive = new Uint8Array(count);
  for (let j = 0; j < positives; j++) {
    const r = j + rng.int(candidates.length - j);
    const t = candidates[j];
    candidates[j] = candidates[r];
    candidates[r] = t;
    isPositive[candidates[j]] = 1;
  }

  const idx2 = new Int32Array(count);
  const valid = new Uint8Array(count);
  const xy2 = new Float32Array(2 * count).fill(Number.NaN);
  for (let k = 0; k < count; k++) {
    const i = idx1[k];
    if (isPositive[k]) {
      idx2[k] = landingPixel(mapping, i);
      xy2[2 * k] = mapping.xy[2 * i];
      xy2[2 * k + 1] = mapping.xy[2 * i + 1];
    } else {
      idx2[k] = rng.int(n2);
    }
    valid[k] = mask1[i] & mask2[idx2[k]];
  }
  return { idx1, idx2, isPositive, valid, xy2 };
}
