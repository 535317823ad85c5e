import { createRng } from '@oxels/core';
import { describe, expect, it } from 'vitest';
import { type Image2D, sampleBilinear } from './Image2D.ts';
import { NO_PHOTOMETRIC_JITTER } from './photometricJitter.ts';
import { warpPair } from './warpPair.ts';

/** A smooth RGB test image: channel values vary slowly and differently with u and v. */
function smoothImage(size: number): Image2D {
  const data = new Float32Array(size * size * 3);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const o = (y * size + x) * 3;
      data[o] = (x + 0.5) / size;
      data[o + 1] = (y + 0.5) / size;
      data[o + 2] = 0.5 + 0.4 * Math.sin((x + y) / 8);
    }
  }
  return { width: size, height: size, channels: 3, data };
}

describe('warpPair', () => {
  it('carries view-1 content to the same content in view 2 at the mapped position (seed 9)', () => {
    const src = smoothImage(32);
    const rng = createRng(9);
    const errors: number[] = [];
    for (let t = 0; t < 10; t++) {
      const pair = warpPair(src, rng, { photometric: NO_PHOTOMETRIC_JITTER, positiveFraction: 1 });
      for (let k = 0; k < pair.idx1.length; k++) {
        if (!pair.isPositive[k]) continue;
        // Bilinear sampling of view 2 next to its mask edge mixes in fill pixels: compare away from it.
        const u = pair.xy2[2 * k] - 0.5;
        const v = pair.xy2[2 * k + 1] - 0.5;
        const x0 = Math.max(0, Math.floor(u));
        const y0 = Math.max(0, Math.floor(v));
        const x1 = Math.min(31, x0 + 1);
        const y1 = Math.min(31, y0 + 1);
        if (![y0 * 32 + x0, y0 * 32 + x1, y1 * 32 + x0, y1 * 32 + x1].every((i) => pair.mask2[i])) continue;
        for (let c = 0; c < 3; c++) {
          const a = pair.view1.data[pair.idx1[k] * 3 + c];
          const b = sampleBilinear(pair.view2, pair.xy2[2 * k], pair.xy2[2 * k + 1], c);
          errors.push(Math.abs(a - b));
        }
      }
    }
    errors.sort((a, b) => a - b);
    expect(errors.length).toBeGreaterThan(3 * 2500);
    // Two bilinear resamplings of ramps and a slow sine: tiny errors, the largest where the sine curves or
    // the source edge is clamped. A wrong mapping (e.g. h1 * inverse(h2)) gives errors of tenths.
    expect(errors[Math.floor(errors.length / 2)]).toBeLessThan(1e-3);
    expect(errors[Math.floor(errors.length * 0.99)]).toBeLessThan(0.01);
    expect(errors[errors.length - 1]).toBeLessThan(0.05);
  });

  it('is reproducible from its seed', () => {
    const src = smoothImage(16);
    const a = warpPair(src, createRng(5));
    const b = warpPair(src, createRng(5));
    const c = warpPair(src, createRng(6));
    expect(a).toEqual(b);
    expect(a.homography1).not.toEqual(c.homography1);
  });
});
