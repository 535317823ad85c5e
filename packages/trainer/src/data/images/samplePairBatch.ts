import type { Rng } from '@oxels/core';
import { assert } from '../../errors.ts';
import { DEFAULT_WARP_PAIR_OPTIONS, type WarpPairOptions, warpPair } from '../warp/warpPair.ts';
import type { LossBatch } from '../viewPairs/LossBatch.ts';
import { imageAt, type ImageSet } from './ImageSet.ts';

/** What `samplePairBatch` draws. */
export interface PairBatchOptions extends WarpPairOptions {
  /** Number of pairs B. Default 32; ignored when `indices` is given. */
  batchSize: number;
  /** Source images of the batch, one pair each; null draws B uniformly with replacement. Default null. */
  indices: ArrayLike<number> | null;
}

/** Defaults of `samplePairBatch`. */
export const DEFAULT_PAIR_BATCH_OPTIONS: PairBatchOptions = {
  ...DEFAULT_WARP_PAIR_OPTIONS,
  batchSize: 32,
  indices: null,
};

/**
 * A batch of 2D view pairs, ready to become tensors. B pairs of H x W images, N sampled view-1 pixels per
 * pair (N = H * W with samples 'all'). Flat pixel indices are y * W + x within one image.
 */
export interface PairBatch extends LossBatch {
  /** [B, H, W] uint8, 1 where the view shows the source image. */
  mask1: Uint8Array;
  mask2: Uint8Array;
  /** [B, N] uint8 mask1[idx1] * mask2[idx2]. */
  valid: Uint8Array;
  /** [B, N, 2] float32 subpixel (u, v) in view 2 of positives, NaN for negatives. */
  xy2: Float32Array;
  /** [B, 9] float64 row-major homographies source -> view 1 and source -> view 2 (pixel coordinates). */
  homography1: Float64Array;
  homography2: Float64Array;
  /** [B] int32 index of each pair's image in the source set. */
  sourceIndex: Int32Array;
}

/**
 * Draws a batch of view pairs from a set of single images (the paper's 2D mode): each pair is `warpPair`
 * of one source image. Pure given `rng`: the same seed gives the same batch.
 */
export function samplePairBatch(
  source: ImageSet,
  rng: Rng,
  options: Partial<PairBatchOptions> = {},
): PairBatch {
  const o = { ...DEFAULT_PAIR_BATCH_OPTIONS, ...options };
  const b = o.indices ? o.indices.length : o.batchSize;
  assert(
    Number.isInteger(b) && b > 0,
    'BAD_ARGUMENT',
    () => `samplePairBatch: batch size must be a positive integer (got ${b})`,
  );
  assert(source.count > 0, 'BAD_ARGUMENT', () => 'samplePairBatch: the image set is empty');
  const { width, height } = source;
  const hw = width * height;
  const n = o.samples === 'all' ? hw : o.samples;
  const batch: PairBatch = {
    batchSize: b,
    width,
    height,
    samples: n,
    view1: new Float32Array(b * hw * 3),
    view2: new Float32Array(b * hw * 3),
    mask1: new Uint8Array(b * hw),
    mask2: new Uint8Array(b * hw),
    idx1: new Int32Array(b * n),
    idx2: new Int32Array(b * n),
    isPositive: new Uint8Array(b * n),
    valid: new Uint8Array(b * n),
    xy2: new Float32Array(b * n * 2),
    homography1: new Float64Array(b * 9),
    homography2: new Float64Array(b * 9),
    sourceIndex: new Int32Array(b),
  };
  for (let k = 0; k < b; k++) {
    const index = o.indices ? o.indices[k] : rng.int(source.count);
    const pair = warpPair(imageAt(source, index), rng, o);
    batch.sourceIndex[k] = index;
    batch.view1.set(pair.view1.data, k * hw * 3);
    batch.view2.set(pair.view2.data, k * hw * 3);
    batch.mask1.set(pair.mask1, k * hw);
    batch.mask2.set(pair.mask2, k * hw);
    batch.idx1.set(pair.idx1, k * n);
    batch.idx2.set(pair.idx2, k * n);
    batch.isPositive.set(pair.isPositive, k * n);
    batch.valid.set(pair.valid, k * n);
    batch.xy2.set(pair.xy2, k * n * 2);
    batch.homography1.set(pair.homography1, k * 9);
    batch.homography2.set(pair.homography2, k * 9);
  }
  return batch;
}
