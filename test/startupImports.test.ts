// What the trainer loads: `train --help` and a run on shards must load neither three.js nor Dawn
// (webgpu); only `--live` needs the renderer, and then in the generator's own processes. Every module
// resolved, in the main thread and in worker threads, is traced by test/support/traceModules.mjs.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeFixtureDataset } from '../packages/inspect/test/writeFixtureDataset.ts';

const root = resolve(import.meta.dirname, '..');
const tmp = mkdtempSync(join(tmpdir(), 'oxels-startup-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The module URLs a command resolved. */
function tracedModules(name: string, bin: string, args: string[]): string[] {
  const trace = join(tmp, `${name}.txt`);
  execFileSync(
    process.execPath,
    ['--import', join(root, 'test/support/traceModules.mjs'), '--import', 'tsx', join(root, bin), ...args],
    { cwd: root, env: { ...process.env, OXELS_TRACE_MODULES: trace }, stdio: 'pipe' },
  );
  return readFileSync(trace, 'utf8').trim().split('\n');
}

const renderer = (urls: string[]) =>
  urls.filter((u) => /\/node_modules\/(three|webgpu|three-mesh-bvh)\//.test(u));

describe('trainer start-up', () => {
  it('sees three.js where it is loaded: gen-scenes --help', () => {
    const urls = tracedModules('gen-scenes-help', 'packages/scene-gen/bin/gen-scenes.ts', ['--help']);
    expect(renderer(urls).length).toBeGreaterThan(0);
  });

  it('loads neither three.js nor webgpu for train --help', () => {
    const urls = tracedModules('train-help', 'packages/trainer/bin/train.ts', ['--help']);
    expect(urls.some((u) => u.endsWith('/packages/trainer/bin/train.ts'))).toBe(true);
    expect(renderer(urls)).toEqual([]);
  });

  it('loads neither three.js nor webgpu for a training run on shards, its batch worker included', async () => {
    const { dir } = await writeFixtureDataset([2, 2], { width: 64, height: 48 });
    const args = ['--data', dir, '--out', join(tmp, 'run'), '--steps', '2', '--backend', 'wasm'];
    const urls = tracedModules('train-shards', 'packages/trainer/bin/train.ts', [
      ...args,
      ...['--threads', '1', '--replicas', '1', '--crop', '32x32', '--batch', '2'],
    ]);
    rmSync(dir, { recursive: true, force: true });
    expect(urls.some((u) => u.includes('/packages/trainer/src/data/viewPairs/batchWorker.ts'))).toBe(true);
    expect(renderer(urls)).toEqual([]);
  });
});
