import { createRng } from '@oxels/core';
import { describe, expect, it } from 'vitest';
import { TrainerError } from '../../errors.ts';
import { applyHomography, compose3, identity3, invert3, multiply3, type Point2 } from './homography.ts';
import { randomHomography } from './randomHomography.ts';

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};

describe('homography algebra', () => {
  it('invert3 gives the inverse of random warps (seed 1)', () => {
    const rng = createRng(1);
    for (let t = 0; t < 50; t++) {
      const h = randomHomography(32, 32, rng);
      expect(maxAbsDiff(multiply3(h, invert3(h)), identity3())).toBeLessThan(1e-9);
    }
  });

  it('compose3 applies its arguments left to right', () => {
    const shift: number[] = [1, 0, 3, 0, 1, -2, 0, 0, 1];
    const double: number[] = [2, 0, 0, 0, 2, 0, 0, 0, 1];
    const p: Point2 = { x: 0, y: 0 };
    applyHomography(compose3(shift, double), 1, 1, p);
    expect([p.x, p.y]).toEqual([8, -2]);
  });

  it('invert3 rejects a singular matrix', () => {
    expect(() => invert3([1, 2, 3, 2, 4, 6, 0, 0, 1])).toThrow(TrainerError);
  });

  it('maps points behind the line at infinity to NaN', () => {
    const p: Point2 = { x: 0, y: 0 };
    applyHomography([1, 0, 0, 0, 1, 0, -1, 0, 1], 2, 0, p);
    expect(Number.isNaN(p.x) && Number.isNaN(p.y)).toBe(true);
  });
});
