// A full disk ends gen-scenes with one clear line, no temporary left, the complete shards intact, and
// the same command resumes to the bytes of an uninterrupted run (issue #28). Real runs of the CLI on
// the embedded assets: 2 rooms x 3 pairs at 32x24, two pairs per shard (3 shards of about 26 KB), so
// that the disk fills up in the middle of a shard (it used to crash there with a stack trace).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { fileHashes, genScenes, root } from './genScenesCli.ts';

const tmp = mkdtempSync(join(tmpdir(), 'oxels-diskfull-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const ARGS = [
  ...['--rooms', '2', '--pairs-per-room', '3', '--size', '32x24', '--shard-size', '2'],
  ...['--seed', '3', '--workers', '1', '--quiet'],
];
const ref = join(tmp, 'ref');
let refHashes: Record<string, string> = {};
const refSize = (name: string) => statSync(join(ref, name)).size;
/** The 4 KiB pages tmpfs needs for these files of the reference dataset. */
const pages = (...names: string[]) => names.reduce((n, name) => n + Math.ceil(refSize(name) / 4096), 0);

/**
 * A tmpfs of `count` pages mounted at TMP/name; skips the test where mounting is not permitted (no root,
 * no CAP_SYS_ADMIN), as in some CI containers.
 */
function mountTmpfs(ctx: TestContext, name: string, count: number): string {
  const dir = join(tmp, name);
  mkdirSync(dir);
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${count * 4096}`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (err) {
    const why = String((err as { stderr?: Buffer }).stderr ?? err).trim();
    ctx.skip(`cannot mount a tmpfs here (${why}); the injected-ENOSPC test covers the same path`);
  }
  return dir;
}

/** What a run that found the disk full while writing shard 2 must leave and say. */
function expectFullAtShard2(dir: string, run: { code: number; stderr: string }) {
  expect(run.code).toBe(1);
  const lines = run.stderr.trimEnd().split('\n');
  expect(lines.at(-1)).toBe(
    `gen-scenes: error: cannot write ${dir}/shard-000002.tar.tmp: no space left on device (ENOSPC); 2 complete shards kept, rerun the same command to resume`,
  );
  expect(run.stderr).not.toMatch(/\n\s+at /);
  expect(readdirSync(dir).sort()).toEqual(['generate-config.json', 'shard-000000.tar', 'shard-000001.tar']);
  const kept = fileHashes(dir);
  for (const name of ['generate-config.json', 'shard-000000.tar', 'shard-000001.tar'])
    expect(kept[name]).toBe(refHashes[name]);
}

/** Rerunning the same command completes the dataset, byte for byte that of an uninterrupted run. */
async function expectResumes(dir: string) {
  const again = await genScenes([...ARGS, '--out', dir]);
  expect(again.code, again.stderr).toBe(0);
  expect(again.stderr).toMatch(/^gen-scenes: resuming: 2 of 3 shards already complete$/m);
  expect(again.stdout).toMatch(/1 shards written, 2 resumed/);
  expect(fileHashes(dir)).toEqual(refHashes);
}

describe('gen-scenes on a full disk', () => {
  beforeAll(async () => {
    const run = await genScenes([...ARGS, '--out', ref]);
    expect(run.code, run.stderr).toBe(0);
    refHashes = fileHashes(ref);
    expect(Object.keys(refHashes).filter((n) => n.startsWith('shard-'))).toHaveLength(3);
  }, 120_000);

  it('injected ENOSPC while writing shard 2', async () => {
    const dir = join(tmp, 'injected');
    // The preload fails every write to a shard temporary once this many bytes are written: shards 0
    // and 1 fit, shard 2 stops 1,000 bytes into its first pair.
    const budget = refSize('shard-000000.tar') + refSize('shard-000001.tar') + 1000;
    const run = await genScenes([...ARGS, '--out', dir], {
      preload: join(root, 'test/faults/injectEnospc.ts'),
      env: { OXELS_FAULT_ENOSPC_AFTER_BYTES: String(budget) },
    });
    expectFullAtShard2(dir, run);
    await expectResumes(dir);
  }, 120_000);

  it('a real full tmpfs while writing shard 2', async (ctx) => {
    // tmpfs counts whole pages: generate-config.json, shards 0 and 1, and one page of shard 2.
    const dir = mountTmpfs(
      ctx,
      'tmpfs',
      pages('generate-config.json', 'shard-000000.tar', 'shard-000001.tar') + 1,
    );
    try {
      const run = await genScenes([...ARGS, '--out', dir]);
      expectFullAtShard2(dir, run);
      // Space freed: the same command resumes.
      execFileSync('mount', ['-o', 'remount,size=1m', dir]);
      await expectResumes(dir);
    } finally {
      execFileSync('umount', [dir]);
    }
  }, 120_000);

  it('a real full tmpfs while writing the manifest', async (ctx) => {
    const shards = ['shard-000000.tar', 'shard-000001.tar', 'shard-000002.tar'];
    const dir = mountTmpfs(ctx, 'tmpfs-manifest', pages('generate-config.json', ...shards));
    try {
      const run = await genScenes([...ARGS, '--out', dir]);
      expect(run.code).toBe(1);
      expect(run.stderr.trimEnd().split('\n').at(-1)).toBe(
        `gen-scenes: error: cannot write ${dir}/manifest.json: no space left on device (ENOSPC); 3 complete shards kept, rerun the same command to resume`,
      );
      expect(readdirSync(dir).sort()).toEqual(['generate-config.json', ...shards]);
      execFileSync('mount', ['-o', 'remount,size=1m', dir]);
      const again = await genScenes([...ARGS, '--out', dir]);
      expect(again.code, again.stderr).toBe(0);
      expect(again.stdout).toMatch(/0 shards written, 3 resumed/);
      expect(fileHashes(dir)).toEqual(refHashes);
    } finally {
      execFileSync('umount', [dir]);
    }
  }, 120_000);
});
