import { CorrespondenceStatus, createRng, type Rng } from '@oxels/core';
import type { ViewPairSample } from '@oxels/dataset';
import { describe, expect, it } from 'vitest';
import {
  correspondenceBenchmark,
  type GroundTruthMatches,
  matchErrors,
  summarizeErrors,
} from './correspondenceBenchmark.ts';
import { type DescriptorMap, patchDescriptors, rgbDescriptors } from './descriptorMaps.ts';
import { selectMatches } from './selectMatches.ts';

const W = 48;
const H = 36;

function randomMap(rng: Rng, channels: number): DescriptorMap {
  const data = new Float32Array(W * H * channels);
  for (let i = 0; i < data.length; i++) data[i] = rng.normal();
  return { data, height: H, width: W, channels };
}

/**
 * A = B seen shifted: A's pixel (x, y) shows B's pixel (x - dx, y - dy), so its true match is that pixel's
 * centre. Returns A and the matches of every A pixel whose partner lies inside B.
 */
function shiftedPair(b: DescriptorMap, dx: number, dy: number, rng: Rng) {
  const c = b.channels;
  const a = randomMap(rng, c);
  const aIndex: number[] = [];
  const bXY: number[] = [];
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const xb = x - dx;
      const yb = y - dy;
      if (xb < 0 || yb < 0 || xb >= W || yb >= H) continue;
      a.data.set(b.data.subarray((yb * W + xb) * c, (yb * W + xb + 1) * c), (y * W + x) * c);
      aIndex.push(y * W + x);
      bXY.push(xb + 0.5, yb + 0.5);
    }
  }
  const matches: GroundTruthMatches = { aIndex: Int32Array.from(aIndex), bXY: Float32Array.from(bXY) };
  return { a, matches };
}

/** Expected PCK@t of a matcher that answers a uniformly random pixel of B: the mean disc coverage. */
function chancePck(matches: GroundTruthMatches, t: number): number {
  let sum = 0;
  for (let m = 0; m < matches.aIndex.length; m++) {
    let inside = 0;
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        if (Math.hypot(x + 0.5 - matches.bXY[2 * m], y + 0.5 - matches.bXY[2 * m + 1]) <= t) inside++;
      }
    }
    sum += inside / (W * H);
  }
  return sum / matches.aIndex.length;
}

describe('correspondenceBenchmark', () => {
  it('scores identical maps with a known shift perfectly (seed 1): PCK@1 = 1, median error 0', () => {
    const rng = createRng(1);
    const b = randomMap(rng, 16);
    const { a, matches } = shiftedPair(b, 5, -3, rng);
    for (const norm of ['inf', 'l1', 'l2'] as const) {
      const m = correspondenceBenchmark(a, b, matches, { norm });
      expect(m.queries).toBe((W - 5) * (H - 3));
      expect(m.medianError).toBe(0);
      expect(m.meanError).toBe(0);
      expect(m.pck).toEqual({ '1': 1, '2': 1, '4': 1, '8': 1, '16': 1 });
    }
  });

  it('scores unrelated random maps at chance (seed 2)', () => {
    const rng = createRng(2);
    const b = randomMap(rng, 8);
    const { matches } = shiftedPair(b, 2, 1, rng);
    const a = randomMap(rng, 8);
    const m = correspondenceBenchmark(a, b, matches, { norm: 'inf' });
    expect(m.queries).toBe(1610);
    // Binomial standard deviation of a PCK over 1610 queries is at most 1.3 points; allow 4 sigma.
    for (const t of [1, 2, 4, 8, 16])
      expect(Math.abs(m.pck[String(t)] - chancePck(matches, t))).toBeLessThan(0.05);
    expect(m.pck['4']).toBeLessThan(0.1);
    // The median distance between two uniform points of a 48x36 image is about 20 px.
    expect(m.medianError).toBeGreaterThan(12);
  });

  it('measures the error from the found pixel centre to the subpixel truth', () => {
    const b = randomMap(createRng(3), 4);
    const a: DescriptorMap = { ...b, data: b.data.slice() };
    // Pixel 0 matches itself (centre (0.5, 0.5)); the truth is put 3 px right and 4 px down of it.
    const errors = matchErrors(
      a,
      b,
      { aIndex: Int32Array.of(0, W + 1), bXY: Float32Array.of(3.5, 4.5, 1.5, 1.5) },
      'l2',
    );
    expect(Array.from(errors)).toEqual([5, 0]);
  });
});

describe('summarizeErrors', () => {
  it('takes the mean of the middle two for an even count and counts error == t as correct', () => {
    const m = summarizeErrors(Float32Array.of(16, 1, 4, 0.5, 2, 100), [1, 2, 4, 8, 16]);
    expect(m).toEqual({
      queries: 6,
      medianError: 3,
      meanError: 123.5 / 6,
      pck: { '1': 2 / 6, '2': 3 / 6, '4': 4 / 6, '8': 4 / 6, '16': 5 / 6 },
    });
    expect(summarizeErrors(Float32Array.of(3, 1, 2), [1]).medianError).toBe(2);
    expect(summarizeErrors(new Float32Array(0), [1]).medianError).toBeNaN();
  });
});

describe('rgbDescriptors (the raw-colour baseline)', () => {
  it('maps uint8 RGB to [0, 1] and matches a shifted image of distinct colours exactly (seed 4)', () => {
    const rng = createRng(4);
    const rgb = new Uint8Array(W * H * 3);
    // Distinct colours per pixel: the colour encodes the position, plus noise in the blue channel.
    for (let p = 0; p < W * H; p++) rgb.set([p % W, Math.floor(p / W), rng.int(256)], p * 3);
    const b = rgbDescriptors(rgb, W, H);
    expect(b.channels).toBe(3);
    expect(b.data[3 * (W + 2) + 0]).toBeCloseTo(2 / 255, 7);
    const { a, matches } = shiftedPair(b, -4, 6, rng);
    const m = correspondenceBenchmark(a, b, matches, { norm: 'inf' });
    expect(m.pck['1']).toBe(1);
    expect(() => rgbDescriptors(rgb, W + 1, H)).toThrow(/values for a 49x36x3 image/);
  });

  it('cannot tell pixels of a flat colour apart: on a uniform image every query lands on pixel 0', () => {
    const b = rgbDescriptors(new Uint8Array(W * H * 3).fill(128), W, H);
    const errors = matchErrors(
      b,
      b,
      { aIndex: Int32Array.of(W * H - 1), bXY: Float32Array.of(W - 0.5, H - 0.5) },
      'inf',
    );
    expect(errors[0]).toBeCloseTo(Math.hypot(W - 1, H - 1), 4);
  });
});

describe('patchDescriptors (the rgb-patch baseline)', () => {
  it('concatenates the strided neighbours, clamped at the borders', () => {
    const map = randomMap(createRng(2), 3);
    const p = patchDescriptors(map, 2, 2);
    expect(p.channels).toBe(75);
    const at = (m: DescriptorMap, x: number, y: number) =>
      Array.from(m.data.subarray((y * W + x) * m.channels, (y * W + x + 1) * m.channels));
    // Pixel (10, 7), offset (dx, dy) = (1, -2): patch slot (dy + 2) * 5 + (dx + 2) = 3, source (12, 3).
    expect(at(p, 10, 7).slice(3 * 3, 4 * 3)).toEqual(at(map, 12, 3));
    // Pixel (0, 35), offset (-2, 2): slot 20, clamped to (0, 35) itself; offset (2, 2): slot 24, (4, 35).
    expect(at(p, 0, H - 1).slice(20 * 3, 21 * 3)).toEqual(at(map, 0, H - 1));
    expect(at(p, 0, H - 1).slice(24 * 3, 25 * 3)).toEqual(at(map, 4, H - 1));
    expect(at(patchDescriptors(map, 0, 1), 5, 5)).toEqual(at(map, 5, 5));
    expect(() => patchDescriptors(map, 1.5, 1)).toThrow(/radius must be an integer/);
  });

  it('finds a shifted two-colour noise image exactly where single pixels cannot (seed 6)', () => {
    const rng = createRng(6);
    const noise = () => {
      const rgb = new Uint8Array(W * H * 3);
      for (let p = 0; p < W * H; p++) rgb.fill(rng.next() < 0.5 ? 40 : 220, 3 * p, 3 * p + 3);
      return rgb;
    };
    const [dx, dy] = [5, -3];
    const rgbB = noise();
    const rgbA = noise();
    const aIndex: number[] = [];
    const bXY: number[] = [];
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        const [xb, yb] = [x - dx, y - dy];
        if (xb < 0 || yb < 0 || xb >= W || yb >= H) continue;
        rgbA.set(rgbB.subarray(3 * (yb * W + xb), 3 * (yb * W + xb) + 3), 3 * (y * W + x));
        // Queries whose 9x9 window lies inside both views (no border clamping on either side).
        if (x >= 4 && y >= 4 && x < W - 4 && y < H - 4 && xb >= 4 && yb >= 4 && xb < W - 4 && yb < H - 4) {
          aIndex.push(y * W + x);
          bXY.push(xb + 0.5, yb + 0.5);
        }
      }
    }
    const matches = { aIndex: Int32Array.from(aIndex), bXY: Float32Array.from(bXY) };
    const pixel = [rgbDescriptors(rgbA, W, H), rgbDescriptors(rgbB, W, H)];
    const patch = pixel.map((m) => patchDescriptors(m, 2, 2));
    expect(correspondenceBenchmark(patch[0], patch[1], matches, { norm: 'inf' }).pck['1']).toBe(1);
    expect(correspondenceBenchmark(pixel[0], pixel[1], matches, { norm: 'inf' }).pck['1']).toBeLessThan(0.05);
  });
});

describe('selectMatches', () => {
  const statuses = [0, 1, 0, 2, 0, 3, 0, 0];
  const sample = {
    aIndex: Int32Array.from(statuses, (_, k) => 10 * k),
    bXY: Float32Array.from({ length: 16 }, (_, i) =>
      statuses[i >> 1] === CorrespondenceStatus.MATCH ? i : Number.NaN,
    ),
    status: Uint8Array.from(statuses),
  } as unknown as ViewPairSample;

  it('keeps only MATCH samples, all of them when there are few enough', () => {
    const m = selectMatches(sample, 500, createRng(0));
    expect(Array.from(m.aIndex)).toEqual([0, 20, 40, 60, 70]);
    expect(Array.from(m.bXY)).toEqual([0, 1, 4, 5, 8, 9, 12, 13, 14, 15]);
  });

  it('subsamples without replacement, the same way for the same seed', () => {
    const m = selectMatches(sample, 3, createRng(5));
    expect(m.aIndex.length).toBe(3);
    expect(new Set(m.aIndex).size).toBe(3);
    for (let i = 0; i < 3; i++) expect(m.bXY[2 * i]).toBe((2 * m.aIndex[i]) / 10);
    expect(selectMatches(sample, 3, createRng(5))).toEqual(m);
    expect(() => selectMatches(sample, 0, createRng(5))).toThrow(/maxQueries must be a positive integer/);
  });
});
