// validateDataset on a real dataset with one fault at a time: every shard is checked against the
// manifest (present, size, sha256, sample count, promised layers) and named with what is wrong.
import {
  appendFileSync,
  copyFileSync,
  cpSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DatasetManifest, validateDataset } from '@oxels/dataset';
import { datasetShards } from '@oxels/trainer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shardLayout, tinyDataset } from './faultUtils.ts';

const tmp = mkdtempSync(join(tmpdir(), 'oxels-dataset-faults-'));
/** 4 shards of 1 pair each. */
const data = join(tmp, 'data');
const shards = [0, 1, 2, 3].map((s) => `shard-00000${s}.tar`);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
beforeAll(() => tinyDataset(data, { rooms: 2, pairsPerRoom: 2, shardSize: 1 }), 120_000);

let copies = 0;
/** A copy of the dataset after `damage(dir)`. */
function damaged(damage: (dir: string) => void): string {
  const dir = join(tmp, `copy-${copies++}`);
  cpSync(data, dir, { recursive: true });
  damage(dir);
  return dir;
}

/** Edits the copy's manifest.json. */
const editManifest = (dir: string, edit: (m: DatasetManifest) => void) => {
  const path = join(dir, 'manifest.json');
  const manifest = JSON.parse(readFileSync(path, 'utf8')) as DatasetManifest;
  edit(manifest);
  writeFileSync(path, JSON.stringify(manifest));
};

/** [name, problem] of every problem, and the valid shards' names. */
async function findings(dir: string) {
  const check = await validateDataset(dir);
  return {
    problems: check.problems.map((p) => [p.name, p.problem]),
    valid: check.valid.map((p) => p.slice(dir.length + 1)),
    pairs: check.validPairs,
  };
}

describe('validateDataset', () => {
  it('passes a complete dataset', async () => {
    const check = await validateDataset(data);
    expect(check.problems).toEqual([]);
    expect(check.valid).toEqual(shards.map((s) => join(data, s)));
    expect([check.validPairs, check.expectedShards, check.expectedPairs]).toEqual([4, 4, 4]);
    expect(check.bytes).toBe(shards.reduce((n, s) => n + statSync(join(data, s)).size, 0));
  });

  it('names a missing shard and a shard the manifest does not list', async () => {
    const dir = damaged((d) => {
      rmSync(join(d, shards[2]));
      copyFileSync(join(d, shards[0]), join(d, 'shard-000009.tar'));
    });
    expect(await findings(dir)).toEqual({
      problems: [
        [shards[2], 'missing'],
        ['shard-000009.tar', 'not in manifest.json'],
      ],
      valid: [shards[0], shards[1], shards[3]],
      pairs: 3,
    });
  });

  it('names a shard whose bytes changed, one that grew, and one holding another sample count', async () => {
    const size = statSync(join(data, shards[3])).size;
    const bPng = (await shardLayout(join(data, shards[1]))).find((e) => e.name.endsWith('.b.png'))!;
    const dir = damaged((d) => {
      // One bit of view B's PNG: same size, other bytes.
      const path = join(d, shards[1]);
      const bytes = readFileSync(path);
      bytes[bPng.offset + 100] ^= 1;
      writeFileSync(path, bytes);
      appendFileSync(join(d, shards[3]), Buffer.alloc(512));
      editManifest(d, (m) => {
        m.shards[0].samples = 2;
      });
    });
    expect(await findings(dir)).toEqual({
      problems: [
        [shards[0], 'holds 1, manifest.json says 2 samples'],
        [shards[1], 'sha256 mismatch (changed since gen-scenes wrote it)'],
        [shards[3], `${size + 512} bytes, manifest.json says ${size}`],
      ],
      valid: [shards[2]],
      pairs: 1,
    });
  });

  it('names shards the manifest lost, and samples without the layers it promises', async () => {
    let dir = damaged((d) => {
      rmSync(join(d, shards[2]));
      editManifest(d, (m) => {
        m.shards.splice(1, 2);
      });
    });
    expect((await findings(dir)).problems).toEqual([
      [shards[1], 'not in manifest.json'],
      [shards[2], 'missing, and not in manifest.json (whose shardCount is 4)'],
    ]);
    dir = damaged((d) =>
      editManifest(d, (m) => {
        m.config.depth = true;
      }),
    );
    const { problems, valid } = await findings(dir);
    expect(valid).toEqual([]);
    expect(problems[0]).toEqual([
      shards[0],
      `unreadable: decodeSample: ${join(dir, shards[0])}: sample r000-p000000 has no r000-p000000.a.depth.npy (the dataset promises depth layers: config.depth)`,
    ]);
    // Nothing left to train on: an error even with --allow-partial.
    await expect(datasetShards(dir, { allowPartial: true })).rejects.toThrow(
      `datasetShards: no usable shard in ${dir}: ${shards[0]} (${problems[0][1]}),`,
    );
  });
});
