// A run refused for its flags or its data writes nothing: its --out folder stays absent, so the same
// command with the flag fixed then runs (no "already holds a run").
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, TINY_TRAIN_FLAGS, tinyDataset } from './faultUtils.ts';

const tmp = mkdtempSync(join(tmpdir(), 'oxels-flags-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let data = '';
beforeAll(async () => {
  data = await tinyDataset(join(tmp, 'data'));
}, 180_000);

/** TINY_TRAIN_FLAGS with its crop replaced. */
const withCrop = (crop: string) => TINY_TRAIN_FLAGS.map((f) => (f === '32x32' ? crop : f));

describe('validation before anything is written', () => {
  it('a crop larger than the views leaves no folder; the same command with a crop that fits then trains', async () => {
    const out = join(tmp, 'crop');
    const args = (crop: string) => ['--data', data, ...withCrop(crop), '--steps', '1', '--out', out];
    const refused = await runCli('train', args('96x48'));
    expect(refused.code).toBe(1);
    expect(refused.lines).toEqual([
      `train: error: --crop 96x48 does not fit the 64x48 views of ${data}; --crop 64x48 would (or smaller, sides divisible by 4)`,
    ]);
    expect(existsSync(out)).toBe(false);
    const fixed = await runCli('train', args('64x48'));
    expect(fixed.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['checkpoints', 'config.json', 'curves.png', 'metrics.jsonl']);
  }, 120_000);

  it('shards that fail to read leave no folder, though the manifest looked right', async () => {
    const damaged = join(tmp, 'damaged');
    cpSync(data, damaged, { recursive: true });
    writeFileSync(join(damaged, 'shard-000000.tar'), 'not a tar at all'.repeat(100));
    const out = join(tmp, 'damaged-run');
    const refused = await runCli('train', [
      '--data',
      damaged,
      ...TINY_TRAIN_FLAGS,
      '--steps',
      '1',
      '--out',
      out,
    ]);
    expect(refused.code).toBe(1);
    expect(refused.lines).toHaveLength(1);
    // The dataset check's own words are tested beside it; what matters here is the file it names.
    expect(refused.lines[0]).toMatch(new RegExp(`^train: error: .*${damaged}.*shard-000000\\.tar`));
    expect(existsSync(out)).toBe(false);
  }, 120_000);

  it('a 2d image folder that does not exist leaves no folder', async () => {
    const out = join(tmp, 'no-images');
    const missing = join(tmp, 'no-such-images');
    const refused = await runCli('train', ['--mode', '2d', '--dataset', missing, '--quiet', '--out', out]);
    expect(refused.code).toBe(1);
    expect(refused.lines).toEqual([
      `train: error: loadImageFolder: ${missing} is not a directory (check the path)`,
    ]);
    expect(existsSync(out)).toBe(false);
  }, 120_000);
});
