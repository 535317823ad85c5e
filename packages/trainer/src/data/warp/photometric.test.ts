import { createRng } from '@oxels/core';
import { describe, expect, it } from 'vitest';
import type { Image2D } from './Image2D.ts';
import {
  addGaussianNoise,
  adjustBrightness,
  adjustContrast,
  adjustSaturation,
  motionBlur,
  permuteChannels,
  rotateHue,
} from './photometric.ts';
import {
  DEFAULT_PHOTOMETRIC_OPTIONS,
  NO_PHOTOMETRIC_JITTER,
  photometricJitter,
} from './photometricJitter.ts';

/** Random colours kept inside [0.2, 0.8], so that moderate adjustments do not clip (seeded). */
function midImage(size: number, seed: number): Image2D {
  const rng = createRng(seed);
  const data = Float32Array.from({ length: size * size * 3 }, () => rng.uniform(0.2, 0.8));
  return { width: size, height: size, channels: 3, data };
}

const mean = (a: ArrayLike<number>) => Array.from(a).reduce((s, v) => s + v, 0) / a.length;
const std = (a: ArrayLike<number>) => {
  const m = mean(a);
  return Math.sqrt(Array.from(a).reduce((s, v) => s + (v - m) ** 2, 0) / a.length);
};
const luma = (d: Float32Array, p: number) => 0.299 * d[3 * p] + 0.587 * d[3 * p + 1] + 0.114 * d[3 * p + 2];
/** Per-pixel spread of the three channels, a proxy of saturation. */
const chroma = (img: Image2D) =>
  mean(Array.from({ length: img.width * img.height }, (_, p) => std(img.data.subarray(3 * p, 3 * p + 3))));

describe('photometric operations', () => {
  const img = midImage(16, 1);

  it('permuteChannels moves channel order[c] to c and rejects a non-permutation', () => {
    // A Colored MNIST magenta pixel (g, 0, g) becomes cyan (0, g, g) with [1, 0, 2].
    const magenta: Image2D = { width: 1, height: 1, channels: 3, data: Float32Array.of(0.6, 0, 0.6) };
    expect(Array.from(permuteChannels(magenta, [1, 0, 2]).data)).toEqual(
      Array.from(Float32Array.of(0, 0.6, 0.6)),
    );
    const out = permuteChannels(img, [2, 0, 1]);
    for (const p of [0, 17, 255]) {
      expect([out.data[3 * p], out.data[3 * p + 1], out.data[3 * p + 2]]).toEqual([
        img.data[3 * p + 2],
        img.data[3 * p],
        img.data[3 * p + 1],
      ]);
    }
    expect(() => permuteChannels(img, [0, 0, 1])).toThrow(/permutation of \[0, 1, 2\] \(got \[0,0,1\]\)/);
  });

  it('brightness > 1 raises the mean by that factor, < 1 lowers it', () => {
    expect(mean(adjustBrightness(img, 1.2).data)).toBeCloseTo(1.2 * mean(img.data), 5);
    expect(mean(adjustBrightness(img, 0.5).data)).toBeCloseTo(0.5 * mean(img.data), 5);
  });

  it('contrast scales the spread about the mean luma', () => {
    const low = adjustContrast(img, 0.5);
    expect(std(low.data)).toBeCloseTo(0.5 * std(img.data), 3);
    expect(std(adjustContrast(img, 1.2).data)).toBeGreaterThan(std(img.data));
    expect(mean(low.data)).toBeCloseTo(mean(img.data), 2);
  });

  it('saturation 0 makes grey at the pixel luma; > 1 spreads the channels', () => {
    const grey = adjustSaturation(img, 0);
    for (let p = 0; p < 256; p++) {
      expect(grey.data[3 * p]).toBeCloseTo(luma(img.data, p), 5);
      expect(grey.data[3 * p + 2]).toBeCloseTo(grey.data[3 * p], 6);
    }
    expect(chroma(adjustSaturation(img, 1.2))).toBeGreaterThan(1.15 * chroma(img));
  });

  it('hue rotation keeps the luma of every pixel and changes the colours', () => {
    // Low-chroma colours so that the rotated colour stays inside [0, 1] (no clipping).
    const soft = adjustSaturation(img, 0.5);
    const turned = rotateHue(soft, 0.25);
    let moved = 0;
    for (let p = 0; p < 256; p++) {
      expect(luma(turned.data, p)).toBeCloseTo(luma(soft.data, p), 3);
      moved += Math.abs(turned.data[3 * p] - soft.data[3 * p]);
    }
    expect(moved / 256).toBeGreaterThan(0.03);
    // A full turn is the identity, half a turn applied twice too.
    const full = rotateHue(soft, 1);
    const twice = rotateHue(rotateHue(soft, 0.5), 0.5);
    for (let i = 0; i < soft.data.length; i++) {
      expect(full.data[i]).toBeCloseTo(soft.data[i], 5);
      expect(twice.data[i]).toBeCloseTo(soft.data[i], 4);
    }
  });

  it('motion blur keeps a constant image and smears a dot along its direction', () => {
    const flat: Image2D = { width: 9, height: 9, channels: 3, data: new Float32Array(243).fill(0.3) };
    const blurredFlat = motionBlur(flat, 5, 0.7);
    for (const v of blurredFlat.data) expect(v).toBeCloseTo(0.3, 6);
    const dot: Image2D = { width: 9, height: 9, channels: 3, data: new Float32Array(243) };
    dot.data.fill(1, (4 * 9 + 4) * 3, (4 * 9 + 5) * 3);
    const smeared = motionBlur(dot, 5, 0);
    // Horizontal, 5 taps: the dot spreads over x = 2..6 of row 4 with weight 1/5, nothing elsewhere.
    for (let y = 0; y < 9; y++) {
      for (let x = 0; x < 9; x++) {
        const expected = y === 4 && x >= 2 && x <= 6 ? 0.2 : 0;
        expect(smeared.data[(y * 9 + x) * 3]).toBeCloseTo(expected, 6);
      }
    }
    expect(Array.from(motionBlur(dot, 1, 0).data)).toEqual(Array.from(dot.data));
  });

  it('noise has the requested standard deviation and zero mean (seed 2)', () => {
    const grey: Image2D = {
      width: 64,
      height: 64,
      channels: 3,
      data: new Float32Array(64 * 64 * 3).fill(0.5),
    };
    const noisy = addGaussianNoise(grey, 0.05, createRng(2));
    // 12288 values: the sample std is within about 1% of 0.05, the mean within 3 * 0.05 / sqrt(n).
    expect(std(noisy.data)).toBeGreaterThan(0.05 * 0.97);
    expect(std(noisy.data)).toBeLessThan(0.05 * 1.03);
    expect(Math.abs(mean(noisy.data) - 0.5)).toBeLessThan(3 * (0.05 / Math.sqrt(12288)));
  });
});

describe('photometricJitter', () => {
  const img = midImage(16, 3);

  it('with every component off returns the image unchanged', () => {
    const out = photometricJitter(img, createRng(1), NO_PHOTOMETRIC_JITTER);
    expect(Array.from(out.data)).toEqual(Array.from(img.data));
    expect(out.data).not.toBe(img.data);
  });

  it('switches each component on alone', () => {
    for (const key of Object.keys(
      DEFAULT_PHOTOMETRIC_OPTIONS,
    ) as (keyof typeof DEFAULT_PHOTOMETRIC_OPTIONS)[]) {
      // motionBlur 3 may draw length 1 (no blur): try seeds until it changes the image, as the others do at once.
      let changed = false;
      for (let seed = 0; seed < 5 && !changed; seed++) {
        const out = photometricJitter(img, createRng(seed), {
          ...NO_PHOTOMETRIC_JITTER,
          [key]: 0.5 * (key === 'motionBlur' ? 6 : 1),
        });
        changed = out.data.some((v, i) => Math.abs(v - img.data[i]) > 1e-4);
      }
      expect(changed, key).toBe(true);
    }
  });

  it('keeps values in [0, 1], is reproducible from its seed and varies across seeds', () => {
    const strong = {
      channelShuffle: 1,
      brightness: 0.9,
      contrast: 0.9,
      saturation: 0.9,
      hue: 0.5,
      motionBlur: 5,
      noise: 0.3,
    };
    const a = photometricJitter(img, createRng(7), strong);
    const b = photometricJitter(img, createRng(7), strong);
    const c = photometricJitter(img, createRng(8), strong);
    expect(a.data.every((v) => v >= 0 && v <= 1)).toBe(true);
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
    expect(Array.from(a.data)).not.toEqual(Array.from(c.data));
  });

  it('rejects a hue range beyond half a turn and a channelShuffle probability above 1', () => {
    expect(() => photometricJitter(img, createRng(1), { hue: 0.7 })).toThrow(/hue must be in \[0, 0.5\]/);
    expect(() => photometricJitter(img, createRng(1), { channelShuffle: 1.5 })).toThrow(
      /channelShuffle is a probability in \[0, 1\] \(got 1.5\)/,
    );
  });

  it('channelShuffle 1 gives each of the six channel orders about equally often (seeds 0-599)', () => {
    const pixel: Image2D = { width: 1, height: 1, channels: 3, data: Float32Array.of(0.1, 0.5, 0.9) };
    const counts = new Map<string, number>();
    for (let seed = 0; seed < 600; seed++) {
      const out = photometricJitter(pixel, createRng(seed), { ...NO_PHOTOMETRIC_JITTER, channelShuffle: 1 });
      const key = Array.from(out.data, (v) => v.toFixed(1)).join();
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).toBe(6);
    // 100 expected per order; binomial std about 9.
    for (const n of counts.values()) expect(Math.abs(n - 100)).toBeLessThan(40);
  });
});
