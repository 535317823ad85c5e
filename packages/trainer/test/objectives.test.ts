// The other objectives through the training loop (2D Colored MNIST warps, small): VADeR and CLoVE runs
// stopped and resumed end with the state of an uninterrupted run, bit for bit; CLoVE checkpoints its
// extra state.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_TRAIN_CONFIG, runTraining, type TrainConfig, type TrainObjectiveName } from '@oxels/trainer';
import { afterAll, describe, expect, it } from 'vitest';

const tmp = mkdtempSync(join(tmpdir(), 'oxels-objectives-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const config = (objective: TrainObjectiveName): TrainConfig => ({
  ...DEFAULT_TRAIN_CONFIG,
  source: { kind: 'colored-mnist', mnistDir: null },
  model: '2d',
  objective,
  vader: { ...DEFAULT_TRAIN_CONFIG.vader, matches: 8, queueSize: 64 },
  clove: { ...DEFAULT_TRAIN_CONFIG.clove, matches: 8 },
  steps: 4,
  batchSize: 2,
  sampling: { ...DEFAULT_TRAIN_CONFIG.sampling, samples: 64, positiveFraction: 0.5, crop: null },
  lr: 3e-3,
  checkpointEvery: 2,
  seed: 3,
});
const run = { backend: 'wasm' as const, threads: 0, replicas: 1, resume: false };

describe('runTraining --objective vader | clove', () => {
  it.each([
    ['vader', ['teacher.safetensors', 'queue.safetensors']],
    ['clove', ['teacher.safetensors', 'predictor.safetensors']],
  ] as const)(
    '%s: a stopped and resumed run ends bit for bit as an uninterrupted one (weights, optimiser, %s, losses)',
    async (objective, extra) => {
      const whole = join(tmp, `${objective}-whole`);
      const parted = join(tmp, `${objective}-parted`);
      await runTraining(config(objective), whole, run);
      const first = await runTraining(config(objective), parted, run, { shouldStop: () => true });
      expect(first).toMatchObject({ step: 1, stopped: true });
      const second = await runTraining(config(objective), parted, { ...run, resume: true });
      expect(second).toMatchObject({ startStep: 1, step: 4, stopped: false });
      const file = (dir: string, name: string) =>
        readFileSync(join(dir, 'checkpoints', 'step-0000004', name));
      for (const name of ['weights.bin', 'optimizer.safetensors', ...extra]) {
        expect(file(parted, name).equals(file(whole, name)), name).toBe(true);
      }
      const losses = (dir: string) =>
        readFileSync(join(dir, 'metrics.jsonl'), 'utf8')
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l).loss as number);
      expect(losses(parted)).toEqual(losses(whole));
      expect(losses(whole).every(Number.isFinite)).toBe(true);
      // The runs did train: the weights moved from step 1's.
      const early = readFileSync(join(parted, 'checkpoints', 'step-0000001', 'weights.bin'));
      expect(file(whole, 'weights.bin').equals(early)).toBe(false);
    },
    120_000,
  );
});

describe('runTraining --objective clove', () => {
  it('trains and checkpoints the EMA teacher and the predictor beside the student', async () => {
    const dir = join(tmp, 'clove');
    const summary = await runTraining({ ...config('clove'), steps: 2 }, dir, run);
    expect(summary.step).toBe(2);
    expect(Number.isFinite(summary.lastMetrics?.loss)).toBe(true);
    const ckpt = join(dir, 'checkpoints', 'step-0000002');
    const header = (name: string) => {
      const raw = readFileSync(join(ckpt, name));
      return Object.keys(JSON.parse(raw.subarray(8, 8 + Number(raw.readBigUInt64LE(0))).toString()));
    };
    expect(header('predictor.safetensors')).toEqual(
      expect.arrayContaining(['predictor.query', 'predictor.key', 'predictor.value', 'predictor.out']),
    );
    expect(header('teacher.safetensors')).toContain('stem.weight');
    // The optimiser state covers the predictor too.
    expect(header('optimizer.safetensors')).toContain('m.predictor.out');
  }, 60_000);
});
