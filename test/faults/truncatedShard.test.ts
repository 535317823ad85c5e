// Shards cut short, on a sample boundary (which reads cleanly entry by entry) and inside an entry:
// readers refuse them, train refuses the dataset by shard before writing anything, and with
// --allow-partial trains on the rest and says how much is left out.
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readShard, scanShard } from '@oxels/dataset';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUICK_TRAIN, runCli, shardLayout, tinyDataset } from './faultUtils.ts';

const tmp = mkdtempSync(join(tmpdir(), 'oxels-truncated-'));
/** 3 shards of 2 pairs; shard 1 cut where its second sample starts, shard 2 inside an entry. */
const data = join(tmp, 'data');
const cut = { sample: 0, entry: 0, size1: 0, size2: 0, lastEntry: '' };
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
beforeAll(async () => {
  await tinyDataset(data, { rooms: 3, pairsPerRoom: 2, shardSize: 2 });
  const one = await shardLayout(join(data, 'shard-000001.tar'));
  const key = (name: string) => name.slice(0, name.indexOf('.'));
  const second = one.findIndex((e) => key(e.name) !== key(one[0].name));
  cut.sample = one[second].header;
  cut.lastEntry = one[second - 1].name;
  const two = await shardLayout(join(data, 'shard-000002.tar'));
  const png = two.filter((e) => e.name.endsWith('.b.png'))[1];
  cut.entry = png.offset + Math.floor(png.size / 2);
  cut.size1 = statSync(join(data, 'shard-000001.tar')).size;
  cut.size2 = statSync(join(data, 'shard-000002.tar')).size;
  truncateSync(join(data, 'shard-000001.tar'), cut.sample);
  truncateSync(join(data, 'shard-000002.tar'), cut.entry);
}, 120_000);

const train = (dir: string, out: string, ...flags: string[]) =>
  runCli('train', ['--data', dir, '--out', out, ...QUICK_TRAIN, ...flags]);

/** What reading a shard to its end throws (it must throw). */
async function readError(path: string): Promise<Error> {
  try {
    for await (const _ of readShard(path));
  } catch (err) {
    return err as Error;
  }
  throw new Error(`truncatedShard: ${path} read without an error`);
}

describe('a truncated shard', () => {
  it('is refused by readShard and scanShard, on a sample boundary and inside an entry', async () => {
    const one = join(data, 'shard-000001.tar');
    const onBoundary = `tarFiles: ${one}: truncated: ends at byte ${cut.sample} after 6 entries (last ${cut.lastEntry}), without the end-of-archive blocks`;
    expect((await readError(one)).message).toBe(onBoundary);
    await expect(scanShard(one)).rejects.toThrow(onBoundary);
    const two = join(data, 'shard-000002.tar');
    const inside = `tarFiles: ${two}: not a readable tar, or cut off inside an entry (Unexpected end of data)`;
    expect((await readError(two)).message).toBe(inside);
    await expect(scanShard(two)).rejects.toThrow(inside);
  });

  it('makes train refuse the dataset naming both shards, with no run directory written', async () => {
    const out = join(tmp, 'refused');
    const run = await train(data, out);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      `train: error: datasetShards: ${data} is incomplete: shard-000001.tar (truncated: ${cut.sample} of ${cut.size1} bytes), ` +
        `shard-000002.tar (truncated: ${cut.entry} of ${cut.size2} bytes); delete the damaged shards and rerun gen-scenes ` +
        'with the same flags to write them again, or pass --allow-partial to use the 1 valid shard\n',
    );
    expect(existsSync(out)).toBe(false);
  }, 60_000);

  it('with --allow-partial, trains on the valid shard and says what it left out', async () => {
    const out = join(tmp, 'partial');
    const run = await train(data, out, '--allow-partial');
    expect(run.code).toBe(0);
    expect(run.stderr.split('\n')[0]).toBe(
      'train: --allow-partial: using 1 of 3 shards (2 of 6 pairs); left out: ' +
        `shard-000001.tar (truncated: ${cut.sample} of ${cut.size1} bytes), shard-000002.tar (truncated: ${cut.entry} of ${cut.size2} bytes)`,
    );
    expect(run.stdout).toMatch(/^train: done at step 2\/2, loss \d\.\d{4} /);
    expect(readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').length).toBe(2);
  }, 120_000);

  it('without manifest.json: refused, and --allow-partial finds the cut shards by their missing end blocks', async () => {
    const dir = join(tmp, 'no-manifest');
    cpSync(data, dir, { recursive: true });
    rmSync(join(dir, 'manifest.json'));
    const refused = await train(dir, join(tmp, 'no-manifest-refused'));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      `train: error: datasetShards: ${dir} has no manifest.json, so it is not a complete gen-scenes dataset ` +
        '(gen-scenes writes it last: the run is still going, was killed, or is one part of a split run); ' +
        'finish gen-scenes with the same flags, or pass --allow-partial to use the shards that read completely\n',
    );
    expect(existsSync(join(tmp, 'no-manifest-refused'))).toBe(false);
    const out = join(tmp, 'no-manifest-partial');
    const run = await train(dir, out, '--allow-partial');
    expect(run.code).toBe(0);
    const one = join(dir, 'shard-000001.tar');
    const two = join(dir, 'shard-000002.tar');
    expect(run.stderr.split('\n')[0]).toBe(
      `train: --allow-partial: ${dir} has no manifest.json, so shard sizes, hashes and sample counts are unchecked; ` +
        'using 1 of 3 shards (2 pairs); left out: ' +
        `shard-000001.tar (unreadable: tarFiles: ${one}: truncated: ends at byte ${cut.sample} after 6 entries (last ${cut.lastEntry}), without the end-of-archive blocks), ` +
        `shard-000002.tar (unreadable: tarFiles: ${two}: not a readable tar, or cut off inside an entry (Unexpected end of data))`,
    );
    expect(existsSync(join(out, 'checkpoints'))).toBe(true);
  }, 120_000);
});
