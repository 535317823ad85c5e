import { describe, expect, it } from 'vitest';
import type { Image2D } from '../warp/Image2D.ts';
import { resizeBilinear } from './resizeBilinear.ts';

function image(width: number, height: number, f: (x: number, y: number) => number): Image2D {
  const data = new Float32Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data[y * width + x] = f(x, y);
  return { width, height, channels: 1, data };
}

describe('resizeBilinear', () => {
  it('keeps a constant image constant when growing and shrinking', () => {
    const flat = image(28, 28, () => 0.7);
    for (const [w, h] of [
      [32, 32],
      [13, 40],
      [7, 5],
    ]) {
      for (const v of resizeBilinear(flat, w, h).data) expect(v).toBeCloseTo(0.7, 6);
    }
  });

  it('upsampling 28 -> 32 is bilinear interpolation at half-pixel-aligned centres', () => {
    // A linear ramp in x: inside the edge pixels the result is the ramp at the mapped centre.
    const ramp = image(28, 1, (x) => x);
    const out = resizeBilinear(ramp, 32, 1).data;
    for (let i = 0; i < 32; i++) {
      const s = (i + 0.5) * (28 / 32) - 0.5;
      expect(out[i]).toBeCloseTo(Math.min(27, Math.max(0, s)), 5);
    }
  });

  it('shrinking averages (antialiasing): a 1-px checkerboard halved becomes flat grey', () => {
    const checker = image(64, 64, (x, y) => (x + y) % 2);
    const out = resizeBilinear(checker, 32, 32).data;
    // Away from the border, where the dropped taps make the renormalised weights uneven (as in PIL).
    for (let y = 1; y < 31; y++) for (let x = 1; x < 31; x++) expect(out[y * 32 + x]).toBeCloseTo(0.5, 5);
    for (const v of out) expect(Math.abs(v - 0.5)).toBeLessThan(0.03);
  });

  it('resizes every channel alike and returns a copy at the same size', () => {
    const rgb: Image2D = {
      width: 2,
      height: 2,
      channels: 3,
      data: Float32Array.from([1, 0, 0.5, 1, 0, 0.5, 1, 0, 0.5, 1, 0, 0.5]),
    };
    const out = resizeBilinear(rgb, 5, 3);
    for (let p = 0; p < 15; p++)
      expect([out.data[3 * p], out.data[3 * p + 1], out.data[3 * p + 2]]).toEqual([1, 0, 0.5]);
    const same = resizeBilinear(rgb, 2, 2);
    expect(same.data).not.toBe(rgb.data);
    expect(Array.from(same.data)).toEqual(Array.from(rgb.data));
  });
});
