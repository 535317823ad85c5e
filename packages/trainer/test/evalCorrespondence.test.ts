// pnpm eval correspondence end to end: a tiny generated dataset, a run of a few steps, the CLI's JSON
// and markdown reports, and its failures.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DEFAULT_ASSET_CACHE_DIR, DEFAULT_GENERATE_CONFIG, generateDataset } from '@oxels/scene-gen';
import { type CorrespondenceReport, DEFAULT_TRAIN_CONFIG, runTraining } from '@oxels/trainer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = new URL('../../../', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'oxels-eval-'));
const data = join(tmp, 'data');
const runDir = join(tmp, 'run');
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

beforeAll(async () => {
  await generateDataset(
    {
      ...DEFAULT_GENERATE_CONFIG,
      rooms: 2,
      pairsPerRoom: 2,
      width: 48,
      height: 48,
      shardSize: 4,
      seed: 5,
      instances: true,
    },
    { out: data, workers: 1, shardIndex: 0, numShards: 1, assetCache: DEFAULT_ASSET_CACHE_DIR },
  );
  await runTraining(
    {
      ...DEFAULT_TRAIN_CONFIG,
      source: { kind: 'shards', dir: data },
      model: '2d',
      steps: 2,
      batchSize: 4,
      sampling: { ...DEFAULT_TRAIN_CONFIG.sampling, samples: 128, crop: [32, 32] },
      checkpointEvery: 2,
      seed: 3,
    },
    runDir,
    { backend: 'wasm', threads: 1, replicas: 1, resume: false },
  );
}, 120_000);

const exec = promisify(execFile);
async function evalCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec('npx', ['tsx', 'packages/trainer/bin/eval.ts', ...args], {
      cwd: root,
      timeout: 120_000,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('pnpm eval correspondence', () => {
  it('writes the JSON and markdown table of the run and the baselines on the same queries', async () => {
    const out = join(tmp, 'report', 'tiny.json');
    const r = await evalCli([
      'correspondence',
      ...['--run', runDir, '--data', data, '--pairs', '3', '--queries', '40', '--init-seed', '9'],
      ...['--backend', 'wasm', '--threads', '1', '--out', out],
    ]);
    expect(r.stderr).not.toMatch(/error/);
    expect(r.code).toBe(0);
    const report = JSON.parse(readFileSync(out, 'utf8')) as CorrespondenceReport;
    expect(report).toMatchObject({
      benchmark: 'correspondence',
      pairs: 3,
      width: 48,
      height: 48,
      norm: 'inf',
      queriesPerPair: 40,
      initSeed: 9,
      thresholds: [1, 2, 4, 8, 16],
      run: { step: 2, model: '2d', outChannels: 32, trainSeed: 5 },
      data: { seed: 5 },
    });
    expect(report.rows.map((row) => row.name)).toEqual(['trained', 'rgb', 'rgb-patch', 'random-init']);
    for (const row of report.rows) {
      // Every pair of the tiny set has far more than 40 matches: the same 120 queries for each method.
      expect(row.queries).toBe(120);
      expect(Object.keys(row.pck)).toEqual(['1', '2', '4', '8', '16']);
      const pck = Object.values(row.pck);
      for (let i = 1; i < pck.length; i++) expect(pck[i]).toBeGreaterThanOrEqual(pck[i - 1]);
      expect(row.medianError).toBeGreaterThanOrEqual(0);
      expect(row.medianError).toBeLessThan(48 * Math.SQRT2);
      // The instance maps split the same queries into room and object pixels.
      const { room, objects } = row.bySurface ?? {};
      expect(room && objects && room.queries + objects.queries).toBe(120);
      expect(objects?.queries).toBeGreaterThan(0);
    }
    const markdown = readFileSync(join(tmp, 'report', 'tiny.md'), 'utf8');
    expect(markdown).toContain(
      '| descriptors | queries | median error (px) | PCK@1 | PCK@2 | PCK@4 | PCK@8 | PCK@16 |',
    );
    expect(markdown).toMatch(/\| rgb \| 120 \| \d+\.\d\d \| (\d+\.\d%( \| )?){5} \|/);
    expect(markdown).toMatch(/\| trained, objects \| \d+ \| \d+\.\d\d \|/);
    expect(r.stdout).toBe(markdown);
    // Evaluated on its own training data: the CLI says so.
    expect(r.stderr).toMatch(
      /looks like the training data \(seed 5\); generate held-out pairs with another --seed/,
    );
  }, 120_000);

  it('gives the median and PCK that numpy recomputes by brute force from the saved descriptor maps', async () => {
    const out = join(tmp, 'oracle', 'report.json');
    const saved = join(tmp, 'oracle', 'descriptors');
    const r = await evalCli([
      'correspondence',
      ...['--run', runDir, '--data', data, '--pairs', '3', '--queries', '30', '--seed', '4'],
      ...['--backend', 'wasm', '--threads', '1', '--quiet', '--out', out, '--save-descriptors', saved],
    ]);
    expect(r.code).toBe(0);
    const report = JSON.parse(readFileSync(out, 'utf8')) as CorrespondenceReport;
    const oracle = await exec('/usr/bin/python3', [
      join(root, 'scripts/correspondence_oracle.py'),
      saved,
      report.norm,
    ]);
    const numpy = JSON.parse(oracle.stdout) as Record<
      string,
      { queries: number; medianError: number; pck: Record<string, number> }
    >;
    expect(Object.keys(numpy).sort()).toEqual(report.rows.map((row) => row.name).sort());
    for (const row of report.rows) {
      const ref = numpy[row.name];
      expect(ref.queries, row.name).toBe(row.queries);
      // Errors are float32 on the TS side, float64 in numpy.
      expect(Math.abs(ref.medianError - row.medianError), row.name).toBeLessThan(1e-4);
      expect(ref.pck, row.name).toEqual(row.pck);
    }
  }, 120_000);

  it('evaluates a chosen checkpoint (--step) into its own report', async () => {
    const r = await evalCli([
      'correspondence',
      ...['--run', runDir, '--data', data, '--step', '2', '--pairs', '1', '--queries', '10'],
      ...['--backend', 'wasm', '--threads', '1', '--quiet'],
    ]);
    expect(r.code).toBe(0);
    const report = JSON.parse(
      readFileSync(join(runDir, 'eval', 'correspondence-step-2.json'), 'utf8'),
    ) as CorrespondenceReport;
    expect(report.run.step).toBe(2);
    expect(report.rows[0].queries).toBe(10);
  }, 120_000);

  it('fails clearly on a directory without a run, and on bad flags', async () => {
    let r = await evalCli([
      'correspondence',
      '--run',
      join(tmp, 'none'),
      '--data',
      data,
      '--backend',
      'wasm',
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/holds no training run \(no config\.json/);
    expect(existsSync(join(tmp, 'none'))).toBe(false);
    r = await evalCli([
      'correspondence',
      '--run',
      runDir,
      '--data',
      data,
      '--step',
      '1',
      '--backend',
      'wasm',
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/has no checkpoint at step 1 \(kept: 2\)/);
    r = await evalCli(['correspondence', '--run', runDir, '--data', data, '--queries', '0']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/--queries must be a positive integer or "all" \(got "0"\)/);
  }, 120_000);
});
