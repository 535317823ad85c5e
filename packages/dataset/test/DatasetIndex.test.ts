import { mkdtempSync, rmSync, statSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { DatasetIndex, readDataset } from '@oxels/dataset';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTestDataset } from './testDataset.ts';

describe('DatasetIndex', () => {
  let dir: string;
  beforeAll(async () => {
    ({ dir } = await writeTestDataset([2, 3]));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('indexes every pair of every shard in order, and agrees with readDataset', async () => {
    const index = await DatasetIndex.open(dir);
    const streamed = [];
    for await (const s of readDataset(dir)) streamed.push(s);
    expect(index.pairs.map((p) => p.key)).toEqual(streamed.map((s) => s.meta.key));
    expect(index.pairs.map((p) => basename(p.shard))).toEqual(
      [0, 0, 1, 1, 1].map((i) => `shard-00000${i}.tar`),
    );
    expect(index.manifest?.totals.pairs).toBe(5);
    // Random access (the last pair of the second shard) decodes the same sample.
    const last = streamed[4];
    const sample = await index.sample(last.meta.key);
    expect(sample.meta).toEqual(last.meta);
    expect(sample.rgbB).toEqual(last.rgbB);
    expect(sample.bXY).toEqual(last.bXY);
    expect(sample.status).toEqual(last.status);
    expect(await index.meta(last.meta.key)).toEqual(last.meta);
    expect(await index.sample(last.meta.key)).toBe(sample); // cached
  });

  it('names close keys for an unknown pair', async () => {
    const index = await DatasetIndex.open(dir);
    expect(() => index.pair('r001-p000099')).toThrow(
      /no pair "r001-p000099" .*5 pairs; did you mean r001-p000002, r001-p000003/,
    );
    await expect(index.sample('nope')).rejects.toMatchObject({ code: 'UNKNOWN_PAIR' });
  });

  it('reports a missing directory and a directory without shards as MISSING_DIR', async () => {
    await expect(DatasetIndex.open(join(dir, 'absent'))).rejects.toMatchObject({
      code: 'MISSING_DIR',
      message: expect.stringMatching(/absent is not a directory/),
    });
    const empty = mkdtempSync(join(tmpdir(), 'oxels-dataset-empty-'));
    await expect(DatasetIndex.open(empty)).rejects.toMatchObject({
      code: 'MISSING_DIR',
      message: expect.stringMatching(/holds no shard/),
    });
    rmSync(empty, { recursive: true });
    await expect(DatasetIndex.open(dir)).resolves.toBeInstanceOf(DatasetIndex);
  });

  it('reports a truncated shard by path', async () => {
    const { dir: broken } = await writeTestDataset([2]);
    const shard = join(broken, 'shard-000000.tar');
    const full = statSync(shard).size;
    // Cuts in the end blocks, inside a header (the last pair's a.inst.png; and the first file's), on an
    // entry boundary (3072: after the first b.png) and inside a file's data (the first .json's).
    for (const cut of [full - 700, full - 1024 - 512 * 3 - 100, 3072, 700, 300]) {
      truncateSync(shard, cut);
      await expect(DatasetIndex.open(broken)).rejects.toMatchObject({
        code: 'SHARD_READ',
        path: shard,
        message: expect.stringMatching(/shard-000000\.tar: truncated/),
      });
    }
    rmSync(broken, { recursive: true, force: true });
  });
});
