// A damaged manifest.json beside real shards: inspect and train name the file and the field in one
// line and exit 1, no stack trace, nothing written.
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInspect } from '@oxels/inspect';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUICK_TRAIN, runCli, tinyDataset } from './faultUtils.ts';

const tmp = mkdtempSync(join(tmpdir(), 'oxels-manifest-faults-'));
const data = join(tmp, 'data');
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
beforeAll(() => tinyDataset(data, { rooms: 1, pairsPerRoom: 1, shardSize: 1 }), 120_000);

let copies = 0;
/** A copy of the dataset whose manifest.json is `edit` of the real one; returns the directory. */
function withManifest(edit: (m: Record<string, unknown>) => unknown): string {
  const dir = join(tmp, `copy-${copies++}`);
  cpSync(data, dir, { recursive: true });
  const manifest = JSON.parse(readFileSync(join(data, 'manifest.json'), 'utf8'));
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(edit(manifest)));
  return dir;
}

const cases: [string, (m: Record<string, unknown>) => unknown, string][] = [
  ['{}', () => ({}), 'field "format" is missing'],
  ['no shards', ({ shards: _, ...m }) => m, 'field "shards" is missing'],
  ['shards not a list', (m) => ({ ...m, shards: {} }), 'shards must be an array (got {})'],
  [
    'a short sha256',
    (m) => ({ ...m, shards: [{ ...(m.shards as object[])[0], sha256: 'abc' }] }),
    'shards[0].sha256 must be a 64-hex string (got "abc")',
  ],
  [
    'a count as a string',
    (m) => ({ ...m, totals: { ...(m.totals as object), pairs: '1' } }),
    'totals.pairs must be an integer >= 0 (got "1")',
  ],
  [
    'a layer flag that is not a boolean',
    (m) => ({ ...m, config: { ...(m.config as object), depth: 'yes' } }),
    'config.depth must be true or false (got "yes")',
  ],
  ['another format version', (m) => ({ ...m, formatVersion: 2 }), 'formatVersion must be 1 (got 2)'],
  ['a list', () => [], 'must hold a JSON object (got [])'],
];

describe('manifest.json schema', () => {
  it.each(cases)('inspect reports %s in one line naming the file and field', async (_, edit, what) => {
    const dir = withManifest(edit);
    const out: string[] = [];
    const err: string[] = [];
    expect(await runInspect([dir], { out: (t) => out.push(t), err: (t) => err.push(t) })).toBe(1);
    expect(err.join('')).toBe(
      `inspect: error: DatasetIndex.open: readManifest: ${join(dir, 'manifest.json')}: ${what}\n`,
    );
    expect(out).toEqual([]);
    expect(existsSync(join(dir, 'inspect'))).toBe(false);
  });

  it('the inspect and train commands exit 1 with that line and no stack, train writing nothing', async () => {
    const dir = withManifest(() => ({}));
    const path = join(dir, 'manifest.json');
    const inspect = await runCli('inspect', [dir]);
    expect([inspect.code, inspect.stdout, inspect.stderr]).toEqual([
      1,
      '',
      `inspect: error: DatasetIndex.open: readManifest: ${path}: field "format" is missing\n`,
    ]);
    const out = join(tmp, 'run');
    const train = await runCli('train', ['--data', dir, '--out', out, ...QUICK_TRAIN]);
    expect([train.code, train.stdout, train.stderr]).toEqual([
      1,
      '',
      `train: error: readManifest: ${path}: field "format" is missing\n`,
    ]);
    expect(existsSync(out)).toBe(false);
  }, 60_000);
});
