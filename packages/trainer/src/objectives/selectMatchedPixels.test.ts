import { createRng } from '@oxels/core';
import { describe, expect, it } from 'vitest';
import { selectMatchedPixels } from './selectMatchedPixels.ts';

describe('selectMatchedPixels', () => {
  // 2 pairs of 4-pixel views, 4 samples each; pair 0 has 3 positives (one at a pixel masked out in
  // view 2), pair 1 has 1.
  const batch = {
    idx1: Int32Array.from([0, 1, 2, 3, 0, 1, 2, 3]),
    idx2: Int32Array.from([3, 2, 1, 0, 1, 1, 1, 1]),
    isPositive: Uint8Array.from([1, 0, 1, 1, 0, 0, 1, 0]),
    mask2: Uint8Array.from([1, 1, 1, 0, 1, 1, 1, 1]),
  };

  it('draws valid positives only, without replacement, as rows of the stacked views (seed 3)', () => {
    const m = selectMatchedPixels(batch, 2, 4, 8, createRng(3));
    expect(m.counts).toEqual([2, 1]);
    // pair 0: samples 2 (0-based view-1 pixel 2 -> 1) and 3 (3 -> 0) in some order; sample 0 maps to the masked pixel 3.
    const pairs0 = [0, 1].map((i) => [m.rows1[i], m.rows2[i]]).sort();
    expect(pairs0).toEqual([
      [2, 1],
      [3, 0],
    ]);
    expect([m.rows1[2], m.rows2[2]]).toEqual([4 + 2, 4 + 1]);
  });

  it('takes at most count per pair', () => {
    const m = selectMatchedPixels(batch, 2, 4, 1, createRng(1));
    expect(m.counts).toEqual([1, 1]);
    expect(m.rows1.length).toBe(2);
  });
});
