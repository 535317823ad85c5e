import type { Rng } from '@oxels/core';

/** Matched pixel pairs drawn from a batch's positives, as flat rows of the per-view stacks [B * H * W]. */
export interface MatchedPixels {
  /** int32 [M]: row b * H * W + idx1 of each match's view-1 pixel, grouped by pair b in order. */
  rows1: Int32Array;
  /** int32 [M]: row b * H * W + idx2 of its matching view-2 pixel. */
  rows2: Int32Array;
  /** [B]: matches taken from each pair (sum = M). */
  counts: number[];
}

/**
 * Up to `count` known matches per view pair, drawn without replacement (seeded) from the samples
 * flagged positive, skipping those whose pixel is invalid in either view's mask. A pair with fewer
 * positives contributes all it has. Pure.
 *
 * @param batch the batch's sample arrays as in `LossBatch`: idx1, idx2 int32 [B, N]; isPositive [B, N]
 *   (1 = known correspondence); optional masks [B, H, W] (1 = valid)
 * @param pixels H * W, the size of one view
 */
export function selectMatchedPixels(
  batch: {
    idx1: ArrayLike<number>;
    idx2: ArrayLike<number>;
    isPositive: ArrayLike<number>;
    mask1?: ArrayLike<number>;
    mask2?: ArrayLike<number>;
  },
  batchSize: number,
  pixels: number,
  count: number,
  rng: Rng,
): MatchedPixels {
  const n = batch.idx1.length / batchSize;
  const rows1: number[] = [];
  const rows2: number[] = [];
  const counts: number[] = [];
  for (let b = 0; b < batchSize; b++) {
    const pool: number[] = [];
    for (let s = b * n; s < (b + 1) * n; s++) {
      if (!batch.isPositive[s]) continue;
      const r1 = b * pixels + batch.idx1[s];
      const r2 = b * pixels + batch.idx2[s];
      if ((batch.mask1 && !batch.mask1[r1]) || (batch.mask2 && !batch.mask2[r2])) continue;
      pool.push(s);
    }
    // Partial Fisher-Yates: the first `take` entries become a uniform sample without replacement.
    const take = Math.min(count, pool.length);
    for (let i = 0; i < take; i++) {
      const j = i + rng.int(pool.length - i);
      [pool[i], pool[j]] = [pool[j], pool[i]];
      rows1.push(b * pixels + batch.idx1[pool[i]]);
      rows2.push(b * pixels + batch.idx2[pool[i]]);
    }
    counts.push(take);
  }
  return { rows1: Int32Array.from(rows1), rows2: Int32Array.from(rows2), counts };
}
