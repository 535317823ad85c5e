// The 3D data path on a real generated dataset: shards -> shuffled samples -> loss samples -> batches.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CorrespondenceStatus, createRng } from '@oxels/core';
import { DEFAULT_ASSET_CACHE_DIR, DEFAULT_GENERATE_CONFIG, generateDataset } from '@oxels/scene-gen';
import { readDataset, type ViewPairSample } from '@oxels/dataset';
import {
  BatchStream,
  DEFAULT_VIEW_PAIR_SAMPLE_OPTIONS,
  sampleViewPair,
  shuffledSamples,
  validateViewPairSampleOptions,
} from '@oxels/trainer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'oxels-data3d-'));
const samples: ViewPairSample[] = [];

beforeAll(async () => {
  await generateDataset(
    { ...DEFAULT_GENERATE_CONFIG, rooms: 3, pairsPerRoom: 2, width: 48, height: 40, shardSize: 2, seed: 3 },
    { out: dir, workers: 2, shardIndex: 0, numShards: 1, assetCache: DEFAULT_ASSET_CACHE_DIR },
  );
  for await (const s of readDataset(dir)) samples.push(s);
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Whole views, the same window in both: the sampling these tests vary one option of at a time. */
const WHOLE_VIEWS = { ...DEFAULT_VIEW_PAIR_SAMPLE_OPTIONS, crop: null, cropShift: null };

describe('sampleViewPair', () => {
  it('pairs positives with their stored match and negatives with random pixels', () => {
    const s = samples[0];
    const e = sampleViewPair(s, createRng(1), { ...WHOLE_VIEWS, samples: 200, positiveFraction: 0.25 });
    expect(e.width).toBe(48);
    expect(e.view1.length).toBe(48 * 40 * 3);
    expect(e.view1[5]).toBeCloseTo(s.rgbA[5] / 255, 6);
    const matchOf = new Map<number, number>();
    s.status.forEach((st, k) => {
      if (st === CorrespondenceStatus.MATCH)
        matchOf.set(s.aIndex[k], Math.floor(s.bXY[2 * k + 1]) * 48 + Math.floor(s.bXY[2 * k]));
    });
    let positives = 0;
    for (let i = 0; i < 200; i++) {
      if (!e.isPositive[i]) continue;
      positives++;
      expect(e.idx2[i]).toBe(matchOf.get(e.idx1[i]));
    }
    expect(positives).toBe(50);
  });

  it('draws local negatives near the true match of a matched view-1 pixel', () => {
    const s = samples[0];
    const matchXY = new Map<number, [number, number]>();
    s.status.forEach((st, k) => {
      if (st === CorrespondenceStatus.MATCH) matchXY.set(s.aIndex[k], [s.bXY[2 * k], s.bXY[2 * k + 1]]);
    });
    const options = {
      ...WHOLE_VIEWS,
      samples: 400,
      positiveFraction: 0.25,
      localRadius: [3, 6] as [number, number],
    };
    const e = sampleViewPair(s, createRng(4), { ...options, localNegatives: 0.5 });
    // 300 negatives: the first 150 are local, the rest random.
    let near = 0;
    for (let i = 100; i < 400; i++) {
      expect(e.isPositive[i]).toBe(0);
      const m = matchXY.get(e.idx1[i]);
      const dist = m
        ? Math.hypot((e.idx2[i] % 48) + 0.5 - m[0], Math.floor(e.idx2[i] / 48) + 0.5 - m[1])
        : -1;
      if (i < 250) {
        expect(m).toBeDefined();
        // Pixel centres lie within half a diagonal of the drawn point; clamping at the border may come closer.
        expect(dist).toBeLessThanOrEqual(6 + Math.SQRT1_2);
      }
      if (dist >= 3 - Math.SQRT1_2 && dist <= 6 + Math.SQRT1_2) near++;
    }
    expect(near).toBeGreaterThanOrEqual(140);
    expect(near).toBeLessThan(200);
    // With no local negatives the draws are those of the paper's sampling, unchanged.
    const plain = sampleViewPair(s, createRng(4), options);
    const zero = sampleViewPair(s, createRng(4), { ...options, localNegatives: 0 });
    expect(Array.from(zero.idx2)).toEqual(Array.from(plain.idx2));
  });

  it('marks hard negatives for mining: a matched view-1 pixel with its true match as placeholder', () => {
    const s = samples[0];
    const matchOf = new Map<number, number>();
    s.status.forEach((st, k) => {
      if (st === CorrespondenceStatus.MATCH)
        matchOf.set(s.aIndex[k], Math.floor(s.bXY[2 * k + 1]) * 48 + Math.floor(s.bXY[2 * k]));
    });
    const options = { ...WHOLE_VIEWS, samples: 400, positiveFraction: 0.25, localNegatives: 0.2 };
    const e = sampleViewPair(s, createRng(5), { ...options, hardNegatives: 0.5 });
    // 300 negatives: 60 local, then 150 mined, then random ones.
    expect(
      Array.from(e.mined!)
        .map((m, i) => (m ? i : -1))
        .filter((i) => i >= 0),
    ).toEqual(Array.from({ length: 150 }, (_, k) => 160 + k));
    for (let i = 160; i < 310; i++) {
      expect(e.isPositive[i]).toBe(0);
      expect(e.idx2[i]).toBe(matchOf.get(e.idx1[i]));
    }
    expect(sampleViewPair(s, createRng(5), options).mined).toBeUndefined();
    // Checked once per run, where the config is (not per pair), naming the flags.
    expect(() => validateViewPairSampleOptions({ ...options, hardNegatives: 0.9 })).toThrow(
      /`hardNegatives` must be >= 0, with `localNegatives` \+ `hardNegatives` <= 1 \(got 0.9 and 0.2\)/,
    );
    expect(() => validateViewPairSampleOptions({ ...options, hardNegatives: 0.8 })).not.toThrow();
  });

  it('crops both views at the same place and drops matches that leave the crop', () => {
    const s = samples[1];
    const e = sampleViewPair(s, createRng(2), {
      ...WHOLE_VIEWS,
      samples: 300,
      positiveFraction: 0.5,
      crop: [24, 20],
    });
    expect([e.width, e.height, e.view2.length]).toEqual([24, 20, 24 * 20 * 3]);
    // Recover the crop origin from the pixels: view1 is a window of rgbA.
    let origin: [number, number] | null = null;
    for (let y0 = 0; y0 <= 20 && !origin; y0++) {
      for (let x0 = 0; x0 <= 24 && !origin; x0++) {
        let same = true;
        for (let i = 0; i < 24 * 3 && same; i++)
          same = Math.abs(e.view1[i] - s.rgbA[(y0 * 48 + x0) * 3 + i] / 255) < 1e-6;
        for (let i = 0; i < 24 * 3 && same; i++)
          same = Math.abs(e.view2[i] - s.rgbB[(y0 * 48 + x0) * 3 + i] / 255) < 1e-6;
        if (same) origin = [x0, y0];
      }
    }
    expect(origin).not.toBeNull();
    const [x0, y0] = origin!;
    for (let i = 0; i < 300; i++) {
      if (!e.isPositive[i]) continue;
      const a = (Math.floor(e.idx1[i] / 24) + y0) * 48 + (e.idx1[i] % 24) + x0;
      const k = s.aIndex.indexOf(a);
      expect(s.status[k]).toBe(CorrespondenceStatus.MATCH);
      expect(e.idx2[i]).toBe((Math.floor(s.bXY[2 * k + 1]) - y0) * 24 + Math.floor(s.bXY[2 * k]) - x0);
    }
  });

  it("moves view 2's crop to where view 1's matches land, then by a random offset up to cropShift", () => {
    const s = samples[1];
    const [W, H, cw, ch] = [48, 40, 24, 20];
    /** Every origin at which `crop` is exactly a window of `rgb`. */
    const originsOf = (crop: Float32Array, rgb: Uint8Array) => {
      const found: [number, number][] = [];
      for (let y0 = 0; y0 <= H - ch; y0++)
        for (let x0 = 0; x0 <= W - cw; x0++) {
          let same = true;
          for (let y = 0; y < ch && same; y++)
            for (let i = 0; i < cw * 3 && same; i++)
              same = Math.abs(crop[y * cw * 3 + i] - rgb[((y0 + y) * W + x0) * 3 + i] / 255) < 1e-6;
          if (same) found.push([x0, y0]);
        }
      return found;
    };
    const median = (v: number[]) => v.sort((a, b) => a - b)[v.length >> 1];
    const offsets: string[] = [];
    for (const [seed, shift] of [
      [1, 0],
      [2, 0],
      [3, 8],
      [4, 8],
      [5, 8],
      [6, 8],
    ]) {
      const e = sampleViewPair(s, createRng(seed), {
        ...WHOLE_VIEWS,
        samples: 300,
        positiveFraction: 0.5,
        crop: [cw, ch],
        cropShift: shift,
      });
      const a = originsOf(e.view1, s.rgbA);
      const b = originsOf(e.view2, s.rgbB);
      expect(a.length).toBe(1);
      expect(b.length).toBe(1);
      const [[x0, y0], [x1, y1]] = [a[0], b[0]];
      const inA = [...s.status.keys()].filter((k) => {
        const [x, y] = [s.aIndex[k] % W, Math.floor(s.aIndex[k] / W)];
        return s.status[k] === CorrespondenceStatus.MATCH && x >= x0 && x < x0 + cw && y >= y0 && y < y0 + ch;
      });
      expect(inA.length).toBeGreaterThan(0);
      const aligned = [
        x0 + median(inA.map((k) => s.bXY[2 * k] - (s.aIndex[k] % W))),
        y0 + median(inA.map((k) => s.bXY[2 * k + 1] - Math.floor(s.aIndex[k] / W))),
      ];
      const clamp = (v: number, max: number) => Math.min(max, Math.max(0, v));
      // Within the shift (plus rounding) of the aligned window, unless pushed back into the view.
      expect(Math.abs(x1 - clamp(aligned[0], W - cw))).toBeLessThanOrEqual(shift + 0.5);
      expect(Math.abs(y1 - clamp(aligned[1], H - ch))).toBeLessThanOrEqual(shift + 0.5);
      offsets.push(`${x1 - x0},${y1 - y0}`);
      let positives = 0;
      for (let i = 0; i < 300; i++) {
        if (!e.isPositive[i]) continue;
        positives++;
        const k = s.aIndex.indexOf((Math.floor(e.idx1[i] / cw) + y0) * W + (e.idx1[i] % cw) + x0);
        expect(s.status[k]).toBe(CorrespondenceStatus.MATCH);
        expect(e.idx2[i]).toBe((Math.floor(s.bXY[2 * k + 1]) - y1) * cw + Math.floor(s.bXY[2 * k]) - x1);
      }
      expect(positives).toBeGreaterThan(0);
    }
    // The random offsets move view 2's window relative to view 1's differently from draw to draw.
    expect(new Set(offsets.slice(2)).size).toBeGreaterThan(1);
  });
});

describe('shuffledSamples and BatchStream', () => {
  it('visits every sample once per epoch in a seeded order', async () => {
    const keys = async (seed: number) => {
      const out: string[] = [];
      for await (const s of shuffledSamples(dir, createRng(seed), { buffer: 3, epochs: 2 }))
        out.push(s.meta.key);
      return out;
    };
    const a = await keys(5);
    expect(a.length).toBe(12);
    expect(new Set(a.slice(0, 6)).size).toBeGreaterThanOrEqual(5); // the buffer mixes epochs only at the seam
    expect(await keys(5)).toEqual(a);
    expect(await keys(6)).not.toEqual(a);
  });

  it('makes batches on a worker thread, reproducibly, and skips ahead for resume', async () => {
    const spec = {
      source: { kind: 'shards' as const, dir },
      seed: 9,
      batchSize: 3,
      sampling: { ...WHOLE_VIEWS, samples: 64, crop: [32, 32] as [number, number] },
      shuffle: { buffer: 4 },
      skip: 0,
    };
    const first = BatchStream.start(spec, 2);
    const batches = [await first.next(), await first.next(), await first.next()];
    await first.close();
    expect(batches[0]!.view1.length).toBe(3 * 32 * 32 * 3);
    expect(batches[0]!.idx1.length).toBe(3 * 64);
    const skipped = BatchStream.start({ ...spec, skip: 2 }, 2);
    const third = await skipped.next();
    await skipped.close();
    expect(Array.from(third!.idx1)).toEqual(Array.from(batches[2]!.idx1));
    expect(Array.from(third!.view2.slice(0, 50))).toEqual(Array.from(batches[2]!.view2.slice(0, 50)));
    expect(third!.hard).toBeUndefined();
    const hardStream = BatchStream.start(
      { ...spec, sampling: { ...spec.sampling, hardNegatives: 0.5, hardRadius: 5 } },
      2,
    );
    const hard = (await hardStream.next())!;
    await hardStream.close();
    expect(hard.hard!.radius).toBe(5);
    expect(hard.hard!.mined.length).toBe(3 * 64);
    // Per pair: 8 positives, 28 of the 56 negatives mined (fewer only where the crop holds no match).
    expect(hard.hard!.mined.reduce((a, m) => a + m, 0)).toBeGreaterThan(28);
  });

  it('reports an empty data directory clearly', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'oxels-empty-'));
    const stream = BatchStream.start({
      source: { kind: 'shards', dir: empty },
      seed: 0,
      batchSize: 1,
      sampling: WHOLE_VIEWS,
      shuffle: {},
      skip: 0,
    });
    await expect(stream.next()).rejects.toThrow(/holds no shard-NNNNNN.tar/);
    await stream.close();
    rmSync(empty, { recursive: true });
  });
});
