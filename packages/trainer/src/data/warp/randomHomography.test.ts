import { createRng } from '@oxels/core';
import { describe, expect, it } from 'vitest';
import { applyHomography, identity3, invert3, type Point2 } from './homography.ts';
import { DEFAULT_WARP_OPTIONS, randomHomography } from './randomHomography.ts';

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};

describe('randomHomography', () => {
  it('a warp followed by its inverse returns every pixel centre to within 0.01 px (seed 7)', () => {
    const rng = createRng(7);
    const p: Point2 = { x: 0, y: 0 };
    let worst = 0;
    for (let t = 0; t < 20; t++) {
      const h = randomHomography(32, 32, rng);
      const inv = invert3(h);
      for (let y = 0; y < 32; y++) {
        for (let x = 0; x < 32; x++) {
          applyHomography(h, x + 0.5, y + 0.5, p);
          applyHomography(inv, p.x, p.y, p);
          worst = Math.max(worst, Math.hypot(p.x - x - 0.5, p.y - y - 0.5));
        }
      }
    }
    expect(worst).toBeLessThan(0.01);
  });

  it('is the identity when every range is zero', () => {
    const h = randomHomography(32, 24, createRng(3), {
      rotation: 0,
      scale: [1, 1],
      shear: 0,
      translation: 0,
      projective: 0,
    });
    expect(maxAbsDiff(h, identity3())).toBeLessThan(1e-12);
  });

  it('draws rotations over the full circle about the image centre', () => {
    const rng = createRng(11);
    const angles: number[] = [];
    for (let t = 0; t < 400; t++) {
      const h = randomHomography(32, 32, rng, { scale: [1, 1], shear: 0, translation: 0, projective: 0 });
      angles.push(Math.atan2(h[3], h[0]));
      // The centre (16, 16) is a fixed point of a pure rotation about it.
      const c = applyHomography(h, 16, 16, { x: 0, y: 0 });
      expect(Math.hypot(c.x - 16, c.y - 16)).toBeLessThan(1e-9);
    }
    expect(Math.min(...angles)).toBeLessThan(-0.9 * Math.PI);
    expect(Math.max(...angles)).toBeGreaterThan(0.9 * Math.PI);
  });

  it('keeps scale and translation inside their ranges', () => {
    const rng = createRng(5);
    for (let t = 0; t < 200; t++) {
      const h = randomHomography(32, 32, rng, { rotation: 0, shear: 0, projective: 0 });
      const [lo, hi] = DEFAULT_WARP_OPTIONS.scale;
      expect(h[0]).toBeGreaterThanOrEqual(lo - 1e-12);
      expect(h[0]).toBeLessThanOrEqual(hi + 1e-12);
      const c = applyHomography(h, 16, 16, { x: 0, y: 0 });
      expect(Math.abs(c.x - 16)).toBeLessThanOrEqual(0.1 * 32 + 1e-9);
      expect(Math.abs(c.y - 16)).toBeLessThanOrEqual(0.1 * 32 + 1e-9);
    }
  });

  it('is reproducible from its seed and differs across seeds', () => {
    const a = randomHomography(32, 32, createRng(42));
    const b = randomHomography(32, 32, createRng(42));
    const c = randomHomography(32, 32, createRng(43));
    expect(a).toEqual(b);
    expect(maxAbsDiff(a, c)).toBeGreaterThan(1e-3);
  });
});
