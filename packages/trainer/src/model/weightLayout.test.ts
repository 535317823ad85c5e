import { describe, expect, it } from 'vitest';
import { hwioToOihw, oihwToHwio } from './weightLayout.ts';

describe('weightLayout', () => {
  it('moves element [y, x, ci, co] of an HWIO kernel to [co, ci, y, x] and back', () => {
    const shape = [3, 2, 4, 5];
    const data = Float32Array.from({ length: 120 }, (_, i) => i);
    const oihw = hwioToOihw({ shape, data });
    expect(oihw.shape).toEqual([5, 4, 3, 2]);
    // HWIO index of (y=2, x=1, ci=3, co=4) = ((2*2 + 1)*4 + 3)*5 + 4 = 119; OIHW index ((4*4 + 3)*3 + 2)*2 + 1.
    expect(oihw.data[((4 * 4 + 3) * 3 + 2) * 2 + 1]).toBe(119);
    // (y=1, x=0, ci=2, co=1): HWIO ((1*2 + 0)*4 + 2)*5 + 1 = 51.
    expect(oihw.data[((1 * 4 + 2) * 3 + 1) * 2 + 0]).toBe(51);
    expect(oihwToHwio(oihw)).toEqual({ shape, data });
  });

  it('passes non-kernel weights through', () => {
    const bias = { shape: [3], data: Float32Array.from([1, 2, 3]) };
    expect(hwioToOihw(bias)).toBe(bias);
  });
});
