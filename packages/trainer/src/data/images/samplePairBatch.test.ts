import { createRng } from '@oxels/core';
import { describe, expect, it } from 'vitest';
import { NO_PHOTOMETRIC_JITTER } from '../warp/photometricJitter.ts';
import { imageAt, type ImageSet } from './ImageSet.ts';
import { samplePairBatch } from './samplePairBatch.ts';

/** Four 32x32 images of seeded random 8-bit colours. */
function randomSet(seed: number): ImageSet {
  const rng = createRng(seed);
  return {
    count: 4,
    width: 32,
    height: 32,
    pixels: Uint8Array.from({ length: 4 * 32 * 32 * 3 }, () => rng.int(256)),
  };
}

describe('samplePairBatch', () => {
  const set = randomSet(1);

  it('fills every array with the documented shape', () => {
    const b = samplePairBatch(set, createRng(2), { batchSize: 3, samples: 100 });
    expect([b.batchSize, b.width, b.height, b.samples]).toEqual([3, 32, 32, 100]);
    expect(b.view1.length).toBe(3 * 32 * 32 * 3);
    expect(b.view2.length).toBe(3 * 32 * 32 * 3);
    expect(b.mask1.length).toBe(3 * 1024);
    for (const a of [b.idx1, b.idx2, b.isPositive, b.valid]) expect(a.length).toBe(300);
    expect(b.xy2.length).toBe(600);
    expect(b.homography1.length).toBe(27);
    expect(b.sourceIndex.every((i) => i >= 0 && i < 4)).toBe(true);
  });

  it('keeps each pair consistent: valid = mask1[idx1] * mask2[idx2], positives on their landing pixel', () => {
    const b = samplePairBatch(set, createRng(3), { batchSize: 4 });
    expect(b.samples).toBe(1024);
    let positives = 0;
    let candidates = 0;
    for (let k = 0; k < 4; k++) {
      for (let n = 0; n < 1024; n++) {
        const j = k * 1024 + n;
        expect(b.idx1[j]).toBe(n);
        expect(b.valid[j]).toBe(b.mask1[k * 1024 + b.idx1[j]] & b.mask2[k * 1024 + b.idx2[j]]);
        if (b.isPositive[j]) {
          positives++;
          expect(b.idx2[j]).toBe(Math.floor(b.xy2[2 * j + 1]) * 32 + Math.floor(b.xy2[2 * j]));
        }
        if (b.mask1[k * 1024 + n]) candidates++;
      }
    }
    // 1/8 of the pixels that land inside view 2, which are a subset of the mask-1 pixels.
    expect(positives).toBeGreaterThan(0);
    expect(positives).toBeLessThanOrEqual(Math.round(candidates / 8) + 4);
  });

  it('warps the requested source images without jitter: masked view pixels come from the image', () => {
    const b = samplePairBatch(set, createRng(4), {
      indices: [2, 0],
      photometric: NO_PHOTOMETRIC_JITTER,
      warp: { rotation: 0, scale: [1, 1], shear: 0, translation: 0, projective: 0 },
    });
    expect(Array.from(b.sourceIndex)).toEqual([2, 0]);
    // With an identity warp both views equal the source image.
    const src = imageAt(set, 0).data;
    const view = b.view2.subarray(1024 * 3, 2048 * 3);
    expect(Array.from(view)).toEqual(Array.from(src));
    expect(b.mask1.every((m) => m === 1)).toBe(true);
  });

  it('is reproducible from its seed', () => {
    const a = samplePairBatch(set, createRng(5), { batchSize: 2 });
    const again = samplePairBatch(set, createRng(5), { batchSize: 2 });
    const other = samplePairBatch(set, createRng(6), { batchSize: 2 });
    expect(again).toEqual(a);
    expect(Array.from(other.view1)).not.toEqual(Array.from(a.view1));
  });
});
