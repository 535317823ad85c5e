import type { Rng } from '@oxels/core';
import type { Mat3 } from './homography.ts';
import type { Image2D } from './Image2D.ts';
import { type PhotometricOptions, photometricJitter } from './photometricJitter.ts';
import { pixelMapping, viewToViewHomography } from './pixelMapping.ts';
import { randomHomography, type WarpOptions } from './randomHomography.ts';
import {
  type CorrespondenceSample,
  type CorrespondenceSampleOptions,
  DEFAULT_CORRESPONDENCE_SAMPLE_OPTIONS,
  sampleCorrespondences,
} from './sampleCorrespondences.ts';
import { warpImage } from './warpImage.ts';

/** How a view pair is made from one image. */
export interface WarpPairOptions extends CorrespondenceSampleOptions {
  /** Ranges of the random homographies (both views). */
  warp: Partial<WarpOptions>;
  /** Photometric jitter of each view, drawn independently per view. */
  photometric: Partial<PhotometricOptions>;
}

/** Defaults of `warpPair`: default warp ranges and jitter, all pixels sampled, 1/8 positives. */
export const DEFAULT_WARP_PAIR_OPTIONS: WarpPairOptions = {
  ...DEFAULT_CORRESPONDENCE_SAMPLE_OPTIONS,
  warp: {},
  photometric: {},
};

/** Two warped, jittered views of one image with their pixel correspondences. */
export interface WarpPair extends CorrespondenceSample {
  /** [H, W, 3] float32 view 1 = jitter(warp(source, homography1)). */
  view1: Image2D;
  /** [H, W, 3] float32 view 2. */
  view2: Image2D;
  /** [H * W] uint8, 1 where view 1 shows the source. */
  mask1: Uint8Array;
  /** [H * W] uint8, 1 where view 2 shows the source. */
  mask2: Uint8Array;
  /** Source pixel coordinates -> view 1 pixel coordinates (row-major 3x3). */
  homography1: Mat3;
  /** Source -> view 2. */
  homography2: Mat3;
}

/**
 * The paper's 2D pair: both views are random perspective warps of the same source image (same size as the
 * source), each with its own photometric jitter; view-1 pixels are paired with view-2 pixels through the
 * exact mapping homography2 * inverse(homography1) (see `sampleCorrespondences`). Draws from `rng` in a
 * fixed order: homography 1, homography 2, jitter 1, jitter 2, sampling.
 */
export function warpPair(source: Image2D, rng: Rng, options: Partial<WarpPairOptions> = {}): WarpPair {
  const o = { ...DEFAULT_WARP_PAIR_OPTIONS, ...options };
  const { width, height } = source;
  const homography1 = randomHomography(width, height, rng, o.warp);
  const homography2 = randomHomography(width, height, rng, o.warp);
  const warped1 = warpImage(source, homography1);
  const warped2 = warpImage(source, homography2);
  const view1 = photometricJitter(warped1.image, rng, o.photometric);
  const view2 = photometricJitter(warped2.image, rng, o.photometric);
  const mapping = pixelMapping(viewToViewHomography(homography1, homography2), width, height);
  const sample = sampleCorrespondences(mapping, warped1.mask, warped2.mask, rng, o);
  return { ...sample, view1, view2, mask1: warped1.mask, mask2: warped2.mask, homography1, homography2 };
}
