// `eval colored-mnist` end to end: a tiny 2D run on Colored MNIST, then the CLI writes its report.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type ColoredMnistReport, DEFAULT_TRAIN_CONFIG, runTraining } from '@oxels/trainer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = new URL('../../../', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'oxels-eval-cmnist-'));
const runDir = join(tmp, 'run');
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

beforeAll(async () => {
  await runTraining(
    {
      ...DEFAULT_TRAIN_CONFIG,
      source: { kind: 'colored-mnist', mnistDir: null },
      model: '2d',
      steps: 2,
      batchSize: 4,
      sampling: { ...DEFAULT_TRAIN_CONFIG.sampling, samples: 64, crop: null },
      lambda: 0.5,
      checkpointEvery: 2,
    },
    runDir,
    { backend: 'wasm', threads: 0, replicas: 1, resume: false },
  );
}, 120_000);

const evalCli = (args: string[]) =>
  promisify(execFile)('npx', ['tsx', 'packages/trainer/bin/eval.ts', 'colored-mnist', ...args], {
    cwd: root,
  }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (err: { code: number; stdout: string; stderr: string }) => err,
  );

describe('eval colored-mnist', () => {
  it('trains the probe on a tiny run and writes both accuracies to RUN/eval/colored-mnist.json', async () => {
    const r = await evalCli([
      ...['--run', runDir, '--train-images', '48', '--eval-images', '24'],
      ...['--epochs', '1', '--pool', '4', '--backend', 'wasm', '--quiet'],
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^colored-mnist: in-domain \d+\.\d% \(24 images\), out-of-domain \d+\.\d% \(24 images\)/,
    );
    const report = JSON.parse(
      readFileSync(join(runDir, 'eval', 'colored-mnist.json'), 'utf8'),
    ) as ColoredMnistReport;
    expect(report).toMatchObject({
      benchmark: 'colored-mnist',
      run: { step: 2, model: '2d', lambda: 0.5, norm: 'inf' },
      images: { train: 48, test: 24, ood: 24 },
      probePixels: 64,
      probeParameters: 28_319,
      probe: { pool: 4, epochs: 1 },
    });
    for (const a of [report.inDomain, report.outOfDomain, report.train]) {
      expect(a).toBeGreaterThanOrEqual(0);
      expect(a).toBeLessThanOrEqual(1);
    }
    // A backbone after two steps still sees the colour: the swap moves its descriptors.
    expect(r.stdout).toMatch(/colour sensitivity \d\.\d{3}$/m);
    expect(report.colorSensitivity).toBeGreaterThan(0.01);
    // Accuracies are fractions of the 24 scored images.
    for (const a of [report.inDomain, report.outOfDomain])
      expect(Math.abs(a * 24 - Math.round(a * 24))).toBeLessThan(1e-9);
  }, 120_000);

  it('--init-seed probes the architecture untrained, into its own report', async () => {
    const r = await evalCli([
      ...['--run', runDir, '--init-seed', '9', '--train-images', '16', '--eval-images', '8'],
      ...['--epochs', '1', '--pool', '4', '--backend', 'wasm', '--quiet'],
    ]);
    expect(r.code).toBe(0);
    const report = JSON.parse(
      readFileSync(join(runDir, 'eval', 'colored-mnist-init-9.json'), 'utf8'),
    ) as ColoredMnistReport;
    expect(report).toMatchObject({ initSeed: 9, run: { step: 0, model: '2d' }, images: { train: 16 } });
    // Not the trained weights: the trained run's report (written above) saw other descriptors.
    const trained = JSON.parse(readFileSync(join(runDir, 'eval', 'colored-mnist.json'), 'utf8'));
    expect(report.colorSensitivity).not.toBe(trained.colorSensitivity);
  }, 120_000);

  it('fails clearly without a run, and on a pool that does not divide the image', async () => {
    const none = await evalCli(['--run', join(tmp, 'nothing'), '--quiet']);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/holds no training run/);
    const pool = await evalCli(['--run', runDir, '--pool', '5', '--train-images', '8', '--quiet']);
    expect(pool.code).toBe(1);
    expect(pool.stderr).toMatch(/pool must be a positive divisor of the image sides 32x32 \(got 5\)/);
  }, 120_000);
});
