// gen-scenes resumes into an existing --out only a dataset of the same config, and only shards that hold
// what they must (issue #28). Real runs of the CLI on the embedded assets: 2 rooms x 2 pairs at 32x24 in
// shards of 3 (shard 0 holds 3 pairs, shard 1 the remaining 1).
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DatasetManifest, readShard, ShardWriter, type ViewPairSample } from '@oxels/dataset';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killAfterFirstShard } from '../../packages/scene-gen/test/killAfterFirstShard.ts';
import { fileHashes, genScenes, ownLines, root } from './genScenesCli.ts';

const tmp = mkdtempSync(join(tmpdir(), 'oxels-resume-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const BASE = ['--rooms', '2', '--pairs-per-room', '2', '--size', '32x24', '--shard-size', '3', '--quiet'];
const SEED1 = [...BASE, '--seed', '1', '--workers', '1'];
const ref = join(tmp, 'ref');
const fix = 'rerun with --force to delete it and generate afresh, or choose another --out';

/** A copy of the reference dataset in a directory of its own. */
function copyOfRef(name: string): string {
  const dir = join(tmp, name);
  cpSync(ref, dir, { recursive: true });
  return dir;
}

const manifest = (dir: string) =>
  JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as DatasetManifest;

describe('gen-scenes into an existing --out', () => {
  beforeAll(async () => {
    const run = await genScenes([...SEED1, '--out', ref]);
    expect(run.code, run.stderr).toBe(0);
  }, 120_000);

  it('refuses another seed, size or pair count before loading assets, and changes nothing', async () => {
    const dir = copyOfRef('refused');
    const before = fileHashes(dir);

    const seed = await genScenes([...BASE, '--seed', '2', '--workers', '1', '--out', dir]);
    expect(seed.code).toBe(1);
    // One line, and no asset was listed ("76 rooms in ...") before it.
    expect(seed.stderr).toBe(
      `gen-scenes: error: --out ${dir} holds a dataset made with another configuration: seed 1 (in ${dir}/manifest.json) vs 2 (this run); ${fix}\n`,
    );

    const other = await genScenes([
      ...SEED1,
      '--pairs-per-room',
      '3',
      '--size',
      '40x24',
      '--depth',
      '--out',
      dir,
    ]);
    expect(other.code).toBe(1);
    expect(other.stderr).toBe(
      `gen-scenes: error: --out ${dir} holds a dataset made with another configuration: pairsPerRoom 2 (in ${dir}/manifest.json) vs 3 (this run), width 32 vs 40, depth false vs true; ${fix}\n`,
    );
    expect(fileHashes(dir)).toEqual(before);

    // What does not decide the bytes (workers, asset cache location) may differ: it resumes.
    const same = await genScenes([...BASE, '--seed', '1', '--workers', '2', '--out', dir]);
    expect(same.code, same.stderr).toBe(0);
    expect(same.stdout).toMatch(/0 shards written, 2 resumed/);
    expect(fileHashes(dir)).toEqual(before);
  }, 120_000);

  it('a killed run recorded its config: another config is refused, the same one resumes to the same bytes', async () => {
    const dir = join(tmp, 'killed');
    // Killed once shard 0 is complete, before its manifest exists.
    await killAfterFirstShard(SEED1, dir, root);
    expect(existsSync(join(dir, 'manifest.json'))).toBe(false);
    expect(existsSync(join(dir, 'generate-config.json'))).toBe(true);

    const refused = await genScenes([...BASE, '--seed', '2', '--workers', '1', '--out', dir]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      `gen-scenes: error: --out ${dir} holds a dataset made with another configuration: seed 1 (in ${dir}/generate-config.json) vs 2 (this run); ${fix}\n`,
    );

    const resumed = await genScenes([...BASE, '--seed', '1', '--workers', '2', '--out', dir]);
    expect(resumed.code, resumed.stderr).toBe(0);
    // Shard 1 (one pair) may have been completed before the kill landed.
    expect(resumed.stderr).toMatch(/^gen-scenes: resuming: [12] of 2 shards already complete$/m);
    expect(fileHashes(dir)).toEqual(fileHashes(ref));
  }, 120_000);

  it('checks the parts of a split run, whose --shard-index and --num-shards may differ between machines', async () => {
    const dir = join(tmp, 'split');
    const part0 = await genScenes([...SEED1, '--shard-index', '0', '--num-shards', '2', '--out', dir]);
    expect(part0.code, part0.stderr).toBe(0);
    const refused = await genScenes([
      ...BASE,
      '--seed',
      '2',
      '--workers',
      '1',
      '--shard-index',
      '1',
      '--num-shards',
      '2',
      '--out',
      dir,
    ]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      `gen-scenes: error: --out ${dir} holds a dataset made with another configuration: seed 1 (in ${dir}/manifest.part-000-of-002.json) vs 2 (this run); ${fix}\n`,
    );
    const part1 = await genScenes([...SEED1, '--shard-index', '1', '--num-shards', '2', '--out', dir]);
    expect(part1.code, part1.stderr).toBe(0);
    const {
      'manifest.part-000-of-002.json': _0,
      'manifest.part-001-of-002.json': _1,
      ...files
    } = fileHashes(dir);
    expect(files).toEqual(fileHashes(ref));
  }, 120_000);

  it('refuses shards that no file records the config of', async () => {
    const dir = join(tmp, 'unrecorded');
    cpSync(join(ref, 'shard-000000.tar'), join(dir, 'shard-000000.tar'));
    const run = await genScenes([...SEED1, '--out', dir]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      `gen-scenes: error: --out ${dir} holds 1 shard but no record of the configuration they were made with (no manifest.json or generate-config.json); ${fix}\n`,
    );
    expect(readdirSync(dir)).toEqual(['shard-000000.tar']);
  }, 60_000);

  it('--force deletes what gen-scenes wrote, and only that, then generates afresh', async () => {
    const dir = copyOfRef('forced');
    writeFileSync(join(dir, 'notes.txt'), 'mine\n');
    writeFileSync(join(dir, 'plan.tmp'), 'mine too\n');
    cpSync(join(ref, 'shard-000000.tar'), join(dir, 'shard-000007.tar'));
    writeFileSync(join(dir, 'shard-000001.tar.tmp'), 'left by a killed run');
    const old = fileHashes(ref);

    const run = await genScenes([...BASE, '--seed', '2', '--workers', '1', '--force', '--out', dir]);
    expect(run.code, run.stderr).toBe(0);
    expect(ownLines(run.stderr)[0]).toBe(
      `gen-scenes: --force: deleted the 6 files of the earlier dataset in ${dir}`,
    );
    expect(run.stdout).toMatch(/4 pairs in .*, 2 shards written, 0 resumed/);
    const now = fileHashes(dir);
    expect(Object.keys(now)).toEqual([
      'generate-config.json',
      'manifest.json',
      'notes.txt',
      'plan.tmp',
      'shard-000000.tar',
      'shard-000001.tar',
    ]);
    expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).toBe('mine\n');
    const m = manifest(dir);
    expect(m.seed).toBe(2);
    expect(m.shards.map((s) => [s.name, s.sha256])).toEqual([
      ['shard-000000.tar', now['shard-000000.tar']],
      ['shard-000001.tar', now['shard-000001.tar']],
    ]);
    expect(now['shard-000000.tar']).not.toBe(old['shard-000000.tar']);
    expect(now['shard-000001.tar']).not.toBe(old['shard-000001.tar']);
  }, 120_000);

  it('generates again a shard short of samples, or unlike the sha256 its manifest records', async () => {
    const dir = copyOfRef('damaged');
    // Shard 0 rewritten with only 2 of its 3 samples: a valid tar, as an older generator could leave it.
    const samples: ViewPairSample[] = [];
    for await (const s of readShard(join(dir, 'shard-000000.tar'))) samples.push(s);
    const writer = new ShardWriter(dir, 0);
    writer.add(samples[0]);
    writer.add(samples[1]);
    await writer.close();
    // Shard 1 (the last, 1 sample where shard 0 holds 3) with one byte changed in its first file.
    const path1 = join(dir, 'shard-000001.tar');
    const bytes = readFileSync(path1);
    bytes[600] ^= 1;
    writeFileSync(path1, bytes);

    const run = await genScenes([...SEED1, '--out', dir]);
    expect(run.code, run.stderr).toBe(0);
    expect(ownLines(run.stderr).filter((l) => l.startsWith('gen-scenes: warning: '))).toEqual([
      'gen-scenes: warning: shard-000000.tar holds 2 samples where it must hold 3: generating it again',
      'gen-scenes: warning: shard-000001.tar differs from the sha256 its manifest records: generating it again',
    ]);
    expect(run.stdout).toMatch(/2 shards written, 0 resumed/);
    expect(fileHashes(dir)).toEqual(fileHashes(ref));
  }, 120_000);
});
