import { describe, expect, it } from 'vitest';
import { rgbaToRgb, srgbToLinear, srgbToLinear3 } from './colorUtils.ts';

describe('srgbToLinear', () => {
  it('matches the IEC 61966-2-1 curve at known points and is continuous at the knee (to ~3e-9)', () => {
    expect(srgbToLinear(0)).toBe(0);
    expect(srgbToLinear(1)).toBeCloseTo(1, 12);
    expect(srgbToLinear(0.5)).toBeCloseTo(0.214041, 6);
    expect(srgbToLinear(0.02)).toBeCloseTo(0.02 / 12.92, 12);
    expect(Math.abs(srgbToLinear(0.04045) - srgbToLinear(0.0404500001))).toBeLessThan(1e-7);
    expect(srgbToLinear3([0.5, 0, 1])).toEqual([srgbToLinear(0.5), 0, srgbToLinear(1)]);
  });
});

describe('rgbaToRgb', () => {
  it('drops every fourth byte and keeps pixel order', () => {
    expect(Array.from(rgbaToRgb(new Uint8Array([1, 2, 3, 255, 4, 5, 6, 0])))).toEqual([1, 2, 3, 4, 5, 6]);
  });
});
