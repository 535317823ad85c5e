// Step-by-step parity of the TS trainer with an independent PyTorch trainer (scripts/torch_parity.py):
// the same initial weights (the trainer's own checkpoint, loaded strictly by PyTorch) and the same
// batches (as the trainer's batch sources made them), 20 steps of the oxel loss, AdamW, clipping and
// the learning-rate schedule, dropout off.
//
// Tolerances, from float32 rounding. Both sides compute in float32 with different kernels and
// summation orders: gradients differ by about 1e-5 relative (tensorflow against wasm: at most 8e-5,
// backendParity.test.ts). Two checks:
// - One step at a time (PyTorch restarts every step from the TS run's weights and AdamW moments):
//   the gradient norms agree to 1e-4; every tensor's weights agree to 1e-3 (relative L2, the issue's
//   figure); and the step itself, the strict measure, agrees to 1e-2 relative L2 per tensor (measured
//   at most 1.8e-3, on the last steps whose rate is near 0) except for "jumps": weights whose gradient
//   lies at round-off of zero, whose AdamW step (on the first step lr * g / (|g| + eps)) rounding
//   decides anywhere in [-lr, lr]. At most 1e-4 of the weights may jump (measured: 15 of 995,680 on
//   the first step of the 2D run, none on any other step).
// - The free run of 20 steps: losses agree to 1e-4 after every step; all weights together to 1e-3
//   relative L2 (measured at most 2.7e-4); each tensor to 1e-2 (measured at most 3.8e-3: the first
//   step's jumps, carried along). A wrong loss term, schedule, decay or clipping breaks all of these
//   within a step or two by 1e-2 or more.
// The head's bias is left out of the per-tensor checks: its gradient is 0 in exact arithmetic (a
// shift of every descriptor does not change the loss), so both sides step it by rounding.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findTorch } from '../../../test/torchVenv.ts';
import { DEFAULT_ASSET_CACHE_DIR, DEFAULT_GENERATE_CONFIG, generateDataset } from '@oxels/scene-gen';
import {
  AdamW,
  DEFAULT_ONE_CYCLE_OPTIONS,
  DEFAULT_TRAIN_CONFIG,
  initBackend,
  modelConfig,
  oneCycleRate,
  openBatchSource,
  packLossBatch,
  saveCheckpoint,
  type TrainConfig,
  disposeTrainBatch,
  toTrainBatch,
  trainStep,
  UNet,
} from '@oxels/trainer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = new URL('../../../', import.meta.url).pathname;
const STEPS = 20;
const TOLERANCE = 1e-3;

const torch = findTorch();
if ('why' in torch) console.warn(`torchParity: skipped: ${torch.why}`);

const tmp = mkdtempSync(join(tmpdir(), 'oxels-torch-parity-'));
const shards = join(tmp, 'shards');
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/**
 * Trains `config` for STEPS steps as runTraining does (batch source, schedule, trainStep, AdamW),
 * with dropout off, saving a checkpoint after every step; exports what the PyTorch side needs.
 */
async function exportRun(config: TrainConfig, dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const unet = modelConfig(config);
  const model = new UNet({ ...unet, dropout: unet.dropout.map(() => 0) }, config.seed);
  const optimizer = new AdamW(model.parameters, { weightDecay: config.weightDecay });
  const source = await openBatchSource(config, 0, () => {});
  const keep = { keep: STEPS + 1 };
  await saveCheckpoint(dir, 0, model, optimizer, keep);
  const losses: number[] = [];
  const lrs: number[] = [];
  const gradNorms: number[] = [];
  let layout = {};
  try {
    for (let step = 0; step < STEPS; step++) {
      const batch = (await source.next(step))!;
      const exported = packLossBatch(batch);
      layout = exported.layout;
      writeFileSync(join(dir, `batch-${step}.bin`), exported.bytes);
      const tensors = toTrainBatch(batch);
      if (step === 0) {
        const y = model.forward(tensors.view1);
        writeFileSync(join(dir, 'forward.bin'), y.dataSync() as Float32Array);
        y.dispose();
      }
      optimizer.learningRate = oneCycleRate(step, STEPS, {
        peakRate: config.lr,
        decayFraction: config.lrDecay,
      });
      lrs.push(optimizer.learningRate);
      const result = await trainStep(model, optimizer, tensors, {
        loss: { norm: config.norm, lambda: config.lambda },
        clipNorm: config.clipNorm,
        seed: step,
      });
      disposeTrainBatch(tensors);
      losses.push(result.loss);
      gradNorms.push(result.gradNorm);
      await saveCheckpoint(dir, step + 1, model, optimizer, keep);
    }
  } finally {
    await source.close();
  }
  const meta = {
    model: config.model,
    normalization: config.normalization,
    outChannels: config.outChannels,
    norm: config.norm,
    lambda: config.lambda,
    clipNorm: config.clipNorm,
    steps: STEPS,
    optimizer: { lr: config.lr, ...optimizer.options },
    // The schedule's parameters; the PyTorch side computes the rates from them on its own.
    schedule: { ...DEFAULT_ONE_CYCLE_OPTIONS, decayFraction: config.lrDecay },
    batchLayout: layout,
    losses,
    lrs,
    gradNorms,
    threads: 2,
  };
  writeFileSync(join(dir, 'meta.json'), JSON.stringify(meta));
  model.dispose();
  optimizer.dispose();
}

interface ParityStep {
  step: number;
  lr: number;
  tsLr: number;
  loss: number;
  tsLoss: number;
  worst: string;
  worstRelativeL2: number;
  allWeightsRelativeL2: number;
  zeroGradientMaxAbsDiff: Record<string, number>;
}

interface SyncedStep {
  step: number;
  lr: number;
  gradNorm: number;
  tsGradNorm: number;
  worstStep: string;
  worstStepRelativeL2: number;
  jumps: number;
  weights: number;
  worstWeights: string;
  worstWeightsRelativeL2: number;
}

function replayInTorch(python: string, dir: string) {
  const out = execFileSync(python, [join(root, 'scripts/torch_parity.py'), dir], { encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').at(-1)!) as {
    torchVersion: string;
    forward: { maxAbsDiff: number; maxAbsOutput: number };
    steps: ParityStep[];
    synced: SyncedStep[];
  };
}

const CASES: { name: string; config: () => TrainConfig }[] = [
  {
    // The 3D configuration on the trainer's 3D batches: view pairs of generated shards, whole 64x64 views.
    name: '3D U-Net (per-pixel norm, inf), view-pair batches from shards',
    config: () => ({
      ...DEFAULT_TRAIN_CONFIG,
      source: { kind: 'shards', dir: shards },
      steps: STEPS,
      batchSize: 4,
      sampling: { ...DEFAULT_TRAIN_CONFIG.sampling, samples: 512, crop: null, cropShift: null },
      lr: 3e-3,
      seed: 3,
    }),
  },
  {
    // The paper's 2D experiment: 2D U-Net (one-group norm) on perspective-warp pairs of Colored MNIST.
    name: '2D U-Net (one-group norm, l1, lambda 0.9), 2D-mode warp batches',
    config: () => ({
      ...DEFAULT_TRAIN_CONFIG,
      source: { kind: 'colored-mnist', mnistDir: null },
      model: '2d',
      normalization: 'image',
      norm: 'l1',
      lambda: 0.9,
      steps: STEPS,
      batchSize: 8,
      sampling: { ...DEFAULT_TRAIN_CONFIG.sampling, samples: 256 },
      lr: 2e-3,
      lrDecay: 1,
      seed: 4,
    }),
  },
];

describe.skipIf('why' in torch)('the TS trainer step by step against PyTorch', () => {
  beforeAll(async () => {
    await generateDataset(
      {
        ...DEFAULT_GENERATE_CONFIG,
        rooms: 2,
        pairsPerRoom: 3,
        width: 64,
        height: 64,
        shardSize: 6,
        seed: 21,
      },
      { out: shards, workers: 1, shardIndex: 0, numShards: 1, assetCache: DEFAULT_ASSET_CACHE_DIR },
    );
    await initBackend('auto', { threads: 2 });
  }, 180_000);

  it.each(CASES)(
    '$name: same weights after each of 20 steps',
    async ({ name, config }) => {
      const dir = join(tmp, name.split(' ')[0]);
      await exportRun(config(), dir);
      const r = replayInTorch((torch as { python: string }).python, dir);

      // The checkpoint's model.safetensors loads strictly and gives the same forward pass.
      expect(r.forward.maxAbsDiff / r.forward.maxAbsOutput).toBeLessThan(1e-4);
      expect(r.steps).toHaveLength(STEPS);
      expect(r.synced).toHaveLength(STEPS);
      for (const s of r.synced) {
        const at = `step ${s.step}`;
        expect(Math.abs(s.gradNorm - s.tsGradNorm) / s.tsGradNorm, `gradient norm, ${at}`).toBeLessThan(1e-4);
        expect(s.worstWeightsRelativeL2, `${s.worstWeights}, ${at}`).toBeLessThan(TOLERANCE);
        expect(s.worstStepRelativeL2, `the step of ${s.worstStep}, ${at}`).toBeLessThan(1e-2);
        expect(s.jumps, `weights stepped by rounding, ${at}`).toBeLessThanOrEqual(1e-4 * s.weights);
      }
      for (const s of r.steps) {
        expect(s.lr).toBeCloseTo(s.tsLr, 12);
        expect(Math.abs(s.loss - s.tsLoss), `loss at step ${s.step}`).toBeLessThan(1e-4);
        expect(s.allWeightsRelativeL2, `all weights after step ${s.step}`).toBeLessThan(TOLERANCE);
        expect(s.worstRelativeL2, `${s.worst} after step ${s.step}`).toBeLessThan(1e-2);
        // The head's bias moves by round-off steps of at most ~lr each.
        for (const diff of Object.values(s.zeroGradientMaxAbsDiff))
          expect(diff).toBeLessThan(2 * STEPS * 3e-3);
      }
      const last = r.steps.at(-1)!;
      // The weights did move: the comparison is not between two untrained copies.
      expect(r.steps[0].tsLoss).not.toBeCloseTo(last.tsLoss, 3);
      console.log(
        `torchParity ${name}: torch ${r.torchVersion}, forward max diff ${r.forward.maxAbsDiff.toExponential(2)}; ` +
          `one step at a time: worst step ${Math.max(...r.synced.map((s) => s.worstStepRelativeL2)).toExponential(2)}, ` +
          `jumps ${r.synced.map((s) => s.jumps).join(',')}; free run after step ${last.step}: all weights ` +
          `${last.allWeightsRelativeL2.toExponential(2)}, worst tensor ${last.worst} ${last.worstRelativeL2.toExponential(2)} ` +
          `(max over steps ${Math.max(...r.steps.map((s) => s.worstRelativeL2)).toExponential(2)}), ` +
          `loss ${last.loss.toFixed(6)} vs ${last.tsLoss.toFixed(6)}`,
      );
    },
    300_000,
  );
});
