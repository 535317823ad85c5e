import { createRng } from '@oxels/core';
import { describe, expect, it } from 'vitest';
import { applyHomography, identity3 } from './homography.ts';
import { landingPixel, pixelMapping, viewToViewHomography } from './pixelMapping.ts';
import { randomHomography } from './randomHomography.ts';

describe('pixelMapping', () => {
  it('the identity maps every pixel to itself', () => {
    const m = pixelMapping(identity3(), 32, 32);
    for (let i = 0; i < 32 * 32; i++) {
      expect(m.inside[i]).toBe(1);
      expect(m.xy[2 * i]).toBe((i % 32) + 0.5);
      expect(m.xy[2 * i + 1]).toBe(Math.floor(i / 32) + 0.5);
      expect(landingPixel(m, i)).toBe(i);
    }
  });

  it('the mask is exactly the pixels that land inside view 2 (brute force, seed 21)', () => {
    const rng = createRng(21);
    for (let t = 0; t < 10; t++) {
      const h12 = viewToViewHomography(randomHomography(32, 32, rng), randomHomography(32, 32, rng));
      const m = pixelMapping(h12, 32, 32, 40, 24);
      let inside = 0;
      for (let y = 0; y < 32; y++) {
        for (let x = 0; x < 32; x++) {
          const u = x + 0.5;
          const v = y + 0.5;
          const w = h12[6] * u + h12[7] * v + h12[8];
          const X = (h12[0] * u + h12[1] * v + h12[2]) / w;
          const Y = (h12[3] * u + h12[4] * v + h12[5]) / w;
          const expected = w > 0 && X >= 0 && X < 40 && Y >= 0 && Y < 24 ? 1 : 0;
          const i = y * 32 + x;
          expect(m.inside[i]).toBe(expected);
          inside += expected;
          if (expected) {
            expect(Math.abs(m.xy[2 * i] - X)).toBeLessThan(1e-4);
            expect(landingPixel(m, i)).toBe(
              Math.min(Math.floor(m.xy[2 * i + 1]), 23) * 40 + Math.min(Math.floor(m.xy[2 * i]), 39),
            );
          } else {
            expect(Number.isNaN(m.xy[2 * i])).toBe(true);
            expect(landingPixel(m, i)).toBe(-1);
          }
        }
      }
      // A random warp pair moves some pixels out and keeps most in.
      expect(inside).toBeGreaterThan(0);
    }
  });

  it('view-to-view mapping of two warps of one source is h2 * inverse(h1)', () => {
    const rng = createRng(8);
    const h1 = randomHomography(32, 32, rng);
    const h2 = randomHomography(32, 32, rng);
    const h12 = viewToViewHomography(h1, h2);
    const src = { x: 0, y: 0 };
    const via = { x: 0, y: 0 };
    applyHomography(h1, 10.25, 20.75, via);
    applyHomography(h12, via.x, via.y, via);
    applyHomography(h2, 10.25, 20.75, src);
    expect(Math.hypot(via.x - src.x, via.y - src.y)).toBeLessThan(1e-9);
  });
});
