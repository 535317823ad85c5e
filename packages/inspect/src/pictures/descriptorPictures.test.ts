import { getPixel, viridis } from '@oxels/image';
import { createRng } from '@oxels/core';
import { describe, expect, it } from 'vitest';
import { descriptorAt, descriptorMap } from './DescriptorMap.ts';
import { distanceHeatmap } from './distanceHeatmap.ts';
import { fitPca, pcaToRgb } from './pcaToRgb.ts';
import { signMaps } from './signMaps.ts';
import { symmetricEigen } from './symmetricEigen.ts';

/** A W x H x C map: base + f(x, y) * direction + noise (seeded). */
function rampMap(
  w: number,
  h: number,
  c: number,
  f: (x: number, y: number) => number,
  noise: number,
  seed: number,
) {
  const rng = createRng(seed);
  const base = Array.from({ length: c }, () => rng.normal());
  const dir = Array.from({ length: c }, () => rng.normal());
  const data = new Float32Array(w * h * c);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      for (let k = 0; k < c; k++)
        data[(y * w + x) * c + k] = base[k] + f(x, y) * dir[k] + noise * rng.normal();
    }
  }
  return descriptorMap(data, h, w, c);
}

describe('symmetricEigen', () => {
  it('diagonalises a random symmetric matrix (seed 7): A v = lambda v, values descending, unit vectors', () => {
    const n = 9;
    const rng = createRng(7);
    const b = Array.from({ length: n * n }, () => rng.normal());
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) a[i * n + j] += b[i * n + k] * b[j * n + k];
    const { values, vectors } = symmetricEigen(a, n);
    for (let e = 0; e < n; e++) {
      if (e > 0) expect(values[e]).toBeLessThanOrEqual(values[e - 1]);
      let norm = 0;
      for (let i = 0; i < n; i++) {
        let av = 0;
        for (let j = 0; j < n; j++) av += a[i * n + j] * vectors[e * n + j];
        expect(av).toBeCloseTo(values[e] * vectors[e * n + i], 9);
        norm += vectors[e * n + i] ** 2;
      }
      expect(norm).toBeCloseTo(1, 12);
    }
    let trace = 0;
    for (let i = 0; i < n; i++) trace += a[i * n + i];
    expect(values.reduce((s, v) => s + v, 0)).toBeCloseTo(trace, 9);
  });
});

describe('pcaToRgb', () => {
  it('turns descriptors that vary along one direction with x into a red gradient along x', () => {
    const map = rampMap(24, 10, 16, (x) => x / 23, 0.002, 1);
    const basis = fitPca(map);
    expect(basis.explained[0]).toBeGreaterThan(0.99);
    const image = pcaToRgb(map, { basis });
    for (let y = 0; y < 10; y++) {
      for (let x = 1; x < 24; x++)
        expect(getPixel(image, x, y)[0]).toBeGreaterThanOrEqual(getPixel(image, x - 1, y)[0]);
      // Robust ends: the 1st and 99th percentiles map to 0 and 255.
      expect(getPixel(image, 0, y)[0]).toBe(0);
      expect(getPixel(image, 23, y)[0]).toBe(255);
    }
    // Constant down each column (up to the noise), and the same picture when fitted by pcaToRgb itself.
    for (let x = 0; x < 24; x++) {
      const column = Array.from({ length: 10 }, (_, y) => getPixel(image, x, y)[0]);
      expect(Math.max(...column) - Math.min(...column)).toBeLessThanOrEqual(3);
    }
    expect(pcaToRgb(map).data).toEqual(image.data);
  });

  it('colours a second map with the first map’s basis alike, and a constant map mid-grey', () => {
    const a = rampMap(8, 8, 5, (x, y) => x + 2 * y, 0.01, 2);
    const b = descriptorMap(a.data.slice(), 8, 8, 5);
    const basis = fitPca(a);
    expect(pcaToRgb(b, { basis }).data).toEqual(pcaToRgb(a, { basis }).data);
    const flat = descriptorMap(new Float32Array(4 * 4 * 2).fill(0.3), 4, 4, 2);
    expect(getPixel(pcaToRgb(flat), 2, 2)).toEqual([128, 128, 128]);
    expect(() => pcaToRgb(flat, { basis })).toThrow(/fitted on 5 channels \(got a map of 2\)/);
  });
});

describe('signMaps', () => {
  it('lays chosen channels out in a grid, white where positive, black where negative', () => {
    const w = 6;
    const h = 4;
    const data = new Float32Array(w * h * 3);
    for (let p = 0; p < w * h; p++) {
      data[p * 3] = (p % w) - 2.5; // channel 0: sign flips at x = 3
      data[p * 3 + 1] = 1;
      data[p * 3 + 2] = Math.floor(p / w) < 2 ? -1 : 0;
    }
    const map = descriptorMap(data, h, w, 3);
    const image = signMaps(map, [2, 0], { columns: 2, gap: 1, scale: 2, labels: false });
    expect([image.width, image.height]).toEqual([2 * (12 + 1) + 1, 8 + 2]);
    // Cell 0 (channel 2): black on top, grey (zero) below; cell 1 (channel 0): black left, white right.
    expect(getPixel(image, 1 + 2 * 2, 1 + 2 * 1)).toEqual([0, 0, 0]);
    expect(getPixel(image, 1 + 2 * 2, 1 + 2 * 3)).toEqual([128, 128, 128]);
    expect(getPixel(image, 14 + 2 * 2, 1 + 2 * 1)).toEqual([0, 0, 0]);
    expect(getPixel(image, 14 + 2 * 4, 1 + 2 * 1)).toEqual([255, 255, 255]);
    const labelled = signMaps(map, [0, 1, 2]);
    expect([labelled.width, labelled.height]).toEqual([2 + 2 * (6 + 2), 2 + 2 * (4 + 10 + 2)]);
    expect(() => signMaps(map, [3])).toThrow(/channel 3 is not in the map's 0..2/);
  });
});

describe('distanceHeatmap', () => {
  const map = rampMap(20, 15, 8, (x, y) => Math.sin(x / 3) + Math.cos(y / 2) + x * 0.05, 0.05, 3);

  it.each(['inf', 'l1', 'l2'] as const)('has its minimum (0) at the query pixel itself (%s)', (norm) => {
    const heat = distanceHeatmap(descriptorAt(map, 13, 4), map, { norm, markers: false });
    expect(heat.best).toEqual({ x: 13, y: 4, distance: 0 });
    expect(heat.distance[4 * 20 + 13]).toBe(0);
    expect(heat.range[0]).toBe(0);
    expect(getPixel(heat.image, 13, 4)).toEqual(viridis(1)); // near = yellow
    const far = heat.distance.indexOf(heat.range[1]);
    expect(getPixel(heat.image, far % 20, Math.floor(far / 20))).toEqual(viridis(0));
  });

  it("computes the loss's distances: max |diff|, mean |diff|, mean diff^2", () => {
    const two = descriptorMap(new Float32Array([0, 0, 0, 0, 1, -3, 0.5, 2]), 1, 2, 4);
    const q = descriptorAt(two, 0, 0);
    expect(distanceHeatmap(q, two, { norm: 'inf' }).distance[1]).toBeCloseTo(3, 6);
    expect(distanceHeatmap(q, two, { norm: 'l1' }).distance[1]).toBeCloseTo(6.5 / 4, 6);
    expect(distanceHeatmap(q, two, { norm: 'l2' }).distance[1]).toBeCloseTo((1 + 9 + 0.25 + 4) / 4, 6);
  });

  it('marks the best match (white ring) and the true match (red +) on the upscaled picture', () => {
    const heat = distanceHeatmap(descriptorAt(map, 10, 7), map, { scale: 4, trueMatch: { u: 3.5, v: 2.5 } });
    expect([heat.image.width, heat.image.height]).toEqual([80, 60]);
    expect(getPixel(heat.image, 14, 10)).toEqual([255, 40, 40]); // the "+" centre at (3.5, 2.5) * 4
    // The ring (radius 8 around (10.5, 7.5) * 4) passes within a pixel of its four compass points.
    for (const [dx, dy] of [
      [8, 0],
      [0, 8],
      [-8, 0],
      [0, -8],
    ]) {
      const near = [-1, 0, 1].flatMap((i) =>
        [-1, 0, 1].map((j) => getPixel(heat.image, 42 + dx + i, 30 + dy + j).join()),
      );
      expect(near).toContain('255,255,255');
    }
    expect(getPixel(heat.image, 42, 30)).not.toEqual([255, 255, 255]);
    expect(() => distanceHeatmap(new Float32Array(3), map)).toThrow(
      /query has 3 channels \(expected the map's 8\)/,
    );
  });
});
