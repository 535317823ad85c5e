// `train --graph` end to end: a 2D run with the whole step as one TensorFlow graph trains, resumes bit
// for bit, and follows the op-by-op run on the same backend.
// Its own file, so its process never opens Dawn: with Mesa's llvmpipe loaded (train.test.ts opens the
// software adapter), TensorFlow's graph optimiser calls into Mesa's libLLVM instead of its own LLVM
// and crashes (SIGSEGV in llvm::APFloat::convert under mlir::tfg::ImportGraphDef). `pnpm train`
// never opens both.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DEFAULT_TRAIN_CONFIG,
  initBackend,
  loadTfGraph,
  runTraining,
  type StepMetrics,
  type TrainConfig,
} from '@oxels/trainer';
import { afterAll, describe, expect, it } from 'vitest';

const tmp = mkdtempSync(join(tmpdir(), 'oxels-train-graph-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Why the graph cannot run here ('' when it can): the tensorflow backend and the addon are needed. */
const why = await initBackend('tensorflow').then(
  () => {
    try {
      loadTfGraph();
      return '';
    } catch (e) {
      return (e as Error).message;
    }
  },
  (e: Error) => e.message,
);
if (why && (process.env.OXELS_REQUIRE_BACKENDS ?? '').split(/\s+/).includes('graph'))
  throw new Error(`trainGraph: OXELS_REQUIRE_BACKENDS names graph, which cannot run here: ${why}`);
if (why) console.warn(`trainGraph: skipped: ${why}`);

const config = (steps: number): TrainConfig => ({
  ...DEFAULT_TRAIN_CONFIG,
  source: { kind: 'colored-mnist', mnistDir: null },
  model: '2d',
  normalization: 'image',
  sampling: { ...DEFAULT_TRAIN_CONFIG.sampling, crop: null, cropShift: null, samples: 128 },
  steps,
  batchSize: 4,
  lr: 2e-3,
  lrDecay: 1,
  checkpointEvery: 3,
  seed: 5,
});
const on = { backend: 'tensorflow' as const, threads: 0, replicas: 1, resume: false, graph: true };
const metricsOf = (dir: string): StepMetrics[] =>
  readFileSync(join(dir, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
const weights = (dir: string, step: number) =>
  readFileSync(join(dir, 'checkpoints', `step-${String(step).padStart(7, '0')}`, 'weights.bin'));

describe.skipIf(Boolean(why))('train --graph', () => {
  it('trains, resumes bit for bit, and follows the op-by-op run', async () => {
    const whole = join(tmp, 'whole');
    const parted = join(tmp, 'parted');
    await runTraining(config(6), whole, on);
    await runTraining(config(6), parted, on, { shouldStop: () => true });
    await runTraining(config(6), parted, { ...on, resume: true });
    expect(weights(parted, 6).equals(weights(whole, 6))).toBe(true);
    const losses = metricsOf(whole).map((m) => m.loss);
    expect(metricsOf(parted).map((m) => m.loss)).toEqual(losses);
    // The same data and schedule op by op, other dropout masks: close rather than equal. The first
    // steps move fast (loss 1.0 -> 0.15 in one step), so one step's difference shows most there.
    const eager = join(tmp, 'eager');
    await runTraining(config(6), eager, { ...on, graph: false });
    const eagerLosses = metricsOf(eager).map((m) => m.loss);
    const close = (a: number, b: number) => Math.abs(a - b) / b;
    const tail = (xs: number[]) => (xs[3] + xs[4] + xs[5]) / 3;
    expect(close(losses[0], eagerLosses[0]), `${losses} vs ${eagerLosses}`).toBeLessThan(0.1);
    expect(close(tail(losses), tail(eagerLosses)), `${losses} vs ${eagerLosses}`).toBeLessThan(0.1);
    expect(tail(losses)).toBeLessThan(0.2 * losses[0]);
    expect(weights(whole, 6).equals(weights(eager, 6))).toBe(false);
  }, 300_000);

  it('is refused where it cannot run: another objective', async () => {
    await expect(runTraining({ ...config(2), objective: 'vader' }, join(tmp, 'vader'), on)).rejects.toThrow(
      /whole-step graph cannot run: it runs the oxel objective only/,
    );
  });
});
