// The pictures of `inspect --run`: PCA of a pair with one basis, and query heatmaps with their markers.
import { createRgbImage, getPixel } from '@oxels/image';
import { createRng } from '@oxels/core';
import { describe, expect, it } from 'vitest';
import { type DescriptorMap, descriptorMap } from './DescriptorMap.ts';
import { matchHeatmaps } from './matchHeatmaps.ts';
import { pcaPairPicture } from './pcaPairPicture.ts';

const W = 20;
const H = 14;

function randomMap(seed: number, c = 6): DescriptorMap {
  const rng = createRng(seed);
  return descriptorMap(
    Float32Array.from({ length: W * H * c }, () => rng.normal()),
    H,
    W,
    c,
  );
}

/** B = A moved right by `dx` pixels (the first dx columns of B are new, random). */
function shifted(a: DescriptorMap, dx: number, seed: number): DescriptorMap {
  const b = randomMap(seed, a.channels);
  const c = a.channels;
  for (let y = 0; y < H; y++) {
    for (let x = dx; x < W; x++)
      b.data.set(a.data.subarray((y * W + x - dx) * c, (y * W + x - dx + 1) * c), (y * W + x) * c);
  }
  return b;
}

describe('pcaPairPicture', () => {
  it('colours equal descriptors of the two views alike (one basis for both)', () => {
    const a = randomMap(1);
    const b = shifted(a, 3, 2);
    const { image } = pcaPairPicture(a, b, { scale: 2, gap: 4 });
    expect([image.width, image.height]).toEqual([2 * W * 2 + 3 * 4, H * 2 + 2 * 4]);
    const bLeft = W * 2 + 2 * 4;
    let differing = 0;
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W - 3; x++) {
        // A's pixel (x, y) is B's (x + 3, y): same colour, at each view's offset in the picture.
        expect(getPixel(image, bLeft + (x + 3) * 2, 4 + y * 2)).toEqual(
          getPixel(image, 4 + x * 2, 4 + y * 2),
        );
      }
      // B's new columns hold other descriptors, so mostly other colours.
      for (let x = 0; x < 3; x++) {
        const pa = getPixel(image, 4 + x * 2, 4 + y * 2);
        const pb = getPixel(image, bLeft + x * 2, 4 + y * 2);
        if (pa.some((v, i) => v !== pb[i])) differing++;
      }
    }
    expect(differing).toBeGreaterThan(3 * H * 0.8);
  });
});

describe('matchHeatmaps', () => {
  it('finds the shifted pixel, marks it, and reports a zero error against the true match', () => {
    const a = randomMap(3);
    const b = shifted(a, 4, 4);
    const viewA = createRgbImage(W, H, [90, 90, 90]);
    const viewB = createRgbImage(W, H, [90, 90, 90]);
    const queries = [
      { x: 2, y: 3, trueMatch: { u: 6.5, v: 3.5 } },
      { x: 10, y: 12, trueMatch: { u: 14.5, v: 12.5 } },
      { x: 15, y: 0, trueMatch: null },
    ];
    const { image, rows } = matchHeatmaps(viewA, viewB, a, b, queries, { scale: 3, gap: 4 });
    expect(rows.map((r) => [r.best.x, r.best.y])).toEqual([
      [6, 3],
      [14, 12],
      [19, 0],
    ]);
    expect(rows[0].error).toBe(0);
    expect(rows[1].error).toBe(0);
    expect(rows[2].error).toBeNaN();
    expect(rows[0].best.distance).toBe(0);
    const rowH = 8 + 4 + H * 3 + 4;
    expect([image.width, image.height]).toEqual([3 * W * 3 + 4 * 4, 3 * rowH + 4]);
    // Row 0: the query's cyan "+" on A at its centre, the red true-match "+" on B.
    const top = 4 + 12;
    expect(getPixel(image, 4 + Math.floor(2.5 * 3), top + Math.floor(3.5 * 3))).toEqual([0, 255, 255]);
    expect(getPixel(image, W * 3 + 8 + Math.floor(6.5 * 3), top + Math.floor(3.5 * 3))).toEqual([
      255, 40, 40,
    ]);
  });

  it('rejects views whose size differs from their maps', () => {
    const a = randomMap(5);
    expect(() =>
      matchHeatmaps(createRgbImage(W + 1, H), createRgbImage(W, H), a, a, [{ x: 0, y: 0, trueMatch: null }]),
    ).toThrow(/differ in size/);
  });
});
