import { createRng } from '@oxels/core';
import { describe, expect, it } from 'vitest';
import { applyHomography, identity3, invert3 } from './homography.ts';
import type { Image2D } from './Image2D.ts';
import { randomHomography } from './randomHomography.ts';
import { warpImage } from './warpImage.ts';

function randomImage(size: number, seed: number): Image2D {
  const rng = createRng(seed);
  const data = Float32Array.from({ length: size * size * 3 }, () => rng.next());
  return { width: size, height: size, channels: 3, data };
}

describe('warpImage', () => {
  it('the identity returns the image unchanged with a full mask', () => {
    const src = randomImage(16, 1);
    const { image, mask } = warpImage(src, identity3());
    expect(Array.from(image.data)).toEqual(Array.from(src.data));
    expect(mask.every((m) => m === 1)).toBe(true);
  });

  it('an integer translation shifts pixels and masks the uncovered column', () => {
    const src = randomImage(8, 2);
    const { image, mask } = warpImage(src, [1, 0, 1, 0, 1, 0, 0, 0, 1]);
    for (let y = 0; y < 8; y++) {
      expect(mask[y * 8]).toBe(0);
      for (let x = 1; x < 8; x++) {
        expect(mask[y * 8 + x]).toBe(1);
        for (let c = 0; c < 3; c++)
          expect(image.data[(y * 8 + x) * 3 + c]).toBe(src.data[(y * 8 + x - 1) * 3 + c]);
      }
    }
  });

  it('the mask is 1 exactly where the inverse warp lands inside the source (seed 3)', () => {
    const rng = createRng(3);
    const h = randomHomography(32, 32, rng, { scale: [1.2, 1.5] });
    const { mask } = warpImage(randomImage(32, 4), h, { fill: 0.5 });
    const inv = invert3(h);
    const p = { x: 0, y: 0 };
    for (let i = 0; i < 32 * 32; i++) {
      applyHomography(inv, (i % 32) + 0.5, Math.floor(i / 32) + 0.5, p);
      expect(mask[i]).toBe(p.x >= 0 && p.x < 32 && p.y >= 0 && p.y < 32 ? 1 : 0);
    }
  });
});
