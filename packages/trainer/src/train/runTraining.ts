import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deriveSeed } from '@oxels/scene-gen';
import * as tf from '@tensorflow/tfjs-core';
import { type BackendInfo, initBackend } from '../backend/initBackend.ts';
import { UNET_2D_CONFIG, UNET_3D_CONFIG, type UNetConfig } from '../constants.ts';
import { TrainerError } from '../errors.ts';
import { UNet } from '../model/UNet.ts';
import { AdamW } from './AdamW.ts';
import { loadLatestCheckpoint, saveCheckpoint } from './checkpoint.ts';
import { oneCycleRate } from './oneCycleRate.ts';
import { openBatchSource } from './openBatchSource.ts';
import type { TrainConfig, TrainRunOptions } from './TrainConfig.ts';
import { toTrainBatch } from './toTrainBatch.ts';
import { writeTrainingCurves } from './writeTrainingCurves.ts';
import { trainStep } from './trainStep.ts';

/** One line of RUN/metrics.jsonl. */
export interface StepMetrics {
  step: number;
  loss: number;
  within: number;
  between: number;
  lr: number;
  gradNorm: number;
  stepsPerSecond: number;
  pairsPerSecond: number;
  /** Seconds since this process started training (resets on resume). */
  elapsed: number;
}

/** Hooks of `runTraining` (the library never prints). */
export interface TrainHooks {
  onStart?: (info: { backend: BackendInfo; parameters: number; startStep: number }) => void;
  onStep?: (metrics: StepMetrics) => void;
  onCheckpoint?: (dir: string, step: number) => void;
  onLog?: (message: string) => void;
  /** Polled after every step: true stops the run after saving a checkpoint (Ctrl-C). */
  shouldStop?: () => boolean;
}

/** What a run (or this part of it) did. */
export interface TrainSummary {
  runDir: string;
  startStep: number;
  /** Steps completed in total (== config.steps unless stopped early). */
  step: number;
  stopped: boolean;
  lastMetrics: StepMetrics | null;
  backend: BackendInfo;
}

/** The U-Net configuration of a run. */
export function modelConfig(config: Pick<TrainConfig, 'model' | 'outChannels'>): UNetConfig {
  return { ...(config.model === '2d' ? UNET_2D_CONFIG : UNET_3D_CONFIG), outChannels: config.outChannels };
}

/**
 * Trains the U-Net with the oxel loss as `config` says, in `runDir`: config.json, metrics.jsonl (one
 * StepMetrics per step), curves.png (at the end) and checkpoints/ (every `checkpointEvery` steps, at the end, and when
 * `shouldStop` says so). With `resume`, continues from the latest checkpoint with the same schedule and
 * the same data: a run stopped and resumed ends with the weights an uninterrupted run ends with.
 */
export async function runTraining(
  config: TrainConfig,
  runDir: string,
  run: TrainRunOptions,
  hooks: TrainHooks = {},
): Promise<TrainSummary> {
  validateTrainConfig(config);
  const log = hooks.onLog ?? (() => {});
  const backend = await initBackend(run.backend, { threads: run.threads });
  const configPath = join(runDir, 'config.json');
  const metricsPath = join(runDir, 'metrics.jsonl');
  const checkpoint = run.resume ? resumeFrom(runDir, config) : freshRun(runDir);
  const model = new UNet(modelConfig(config), config.seed);
  const optimizer = new AdamW(model.parameters, { weightDecay: config.weightDecay });
  let step = 0;
  if (checkpoint) {
    model.setWeights(checkpoint.weights);
    optimizer.setState(checkpoint.optimizer);
    step = checkpoint.step;
    keepMetricsUpTo(metricsPath, step);
    log(`resuming ${runDir} at step ${step} of ${config.steps}`);
  } else {
    writeFileSync(configPath, `${JSON.stringify(config, null, 2)}\n`);
    writeFileSync(metricsPath, '');
  }
  const startStep = step;
  hooks.onStart?.({ backend, parameters: model.parameterCount(), startStep });

  const source = await openBatchSource(config, startStep, log);
  let last: StepMetrics | null = null;
  let stopped = false;
  const started = performance.now();
  try {
    while (step < config.steps) {
      const batch = await source.next(step);
      if (!batch) throw new TrainerError('BAD_DATA', `runTraining: the data source ran dry at step ${step}`);
      const t0 = performance.now();
      optimizer.learningRate = oneCycleRate(step, config.steps, { peakRate: config.lr });
      const tensors = toTrainBatch(batch);
      const result = trainStep(model, optimizer, tensors, {
        loss: { norm: config.norm, lambda: config.lambda },
        clipNorm: config.clipNorm,
        seed: deriveSeed(config.seed, 4, step),
      });
      tf.dispose(Object.values(tensors));
      const seconds = (performance.now() - t0) / 1000;
      step++;
      last = {
        step,
        ...result,
        lr: optimizer.learningRate,
        stepsPerSecond: 1 / seconds,
        pairsPerSecond: batch.batchSize / seconds,
        elapsed: (performance.now() - started) / 1000,
      };
      appendFileSync(metricsPath, `${JSON.stringify(last)}\n`);
      hooks.onStep?.(last);
      stopped = step < config.steps && (hooks.shouldStop?.() ?? false);
      if (step % config.checkpointEvery === 0 || step === config.steps || stopped) {
        const dir = saveCheckpoint(runDir, step, model, optimizer);
        hooks.onCheckpoint?.(dir, step);
      }
      if (stopped) break;
    }
  } finally {
    await source.close();
    optimizer.dispose();
    model.dispose();
  }
  if (step > 0) hooks.onLog?.(`curves: ${await writeTrainingCurves(runDir)}`);
  return { runDir, startStep, step, stopped, lastMetrics: last, backend };
}

function validateTrainConfig(c: TrainConfig): void {
  const bad = (what: string) => {
    throw new TrainerError('BAD_ARGUMENT', `train: ${what}`);
  };
  for (const [name, v] of [
    ['--steps', c.steps],
    ['--batch', c.batchSize],
    ['--samples', c.samples],
    ['--checkpoint-every', c.checkpointEvery],
    ['--channels', c.outChannels],
  ] as const) {
    if (!Number.isInteger(v) || v < 1) bad(`${name} must be a positive integer (got ${v})`);
  }
  if (!(c.lr > 0)) bad(`--lr must be > 0 (got ${c.lr})`);
  if (!(c.lambda >= 0 && c.lambda <= 1)) bad(`--lambda must be in [0, 1] (got ${c.lambda})`);
  if (!(c.positiveFraction > 0 && c.positiveFraction <= 1))
    bad(`--positive-fraction must be in (0, 1] (got ${c.positiveFraction})`);
  const factor = 2 ** (modelConfig(c).widths.length - 1);
  if (c.crop && (c.crop[0] % factor !== 0 || c.crop[1] % factor !== 0)) {
    bad(`--crop ${c.crop.join('x')}: the ${c.model} U-Net needs sides divisible by ${factor}`);
  }
}

/** A new run: refuses a directory that already holds one, so nothing is overwritten by accident. */
function freshRun(runDir: string): null {
  if (existsSync(join(runDir, 'checkpoints', 'latest.json')) || existsSync(join(runDir, 'config.json'))) {
    throw new TrainerError(
      'BAD_ARGUMENT',
      `train: ${runDir} already holds a run; pass --resume to continue it, or choose another --out`,
      runDir,
    );
  }
  mkdirSync(runDir, { recursive: true });
  return null;
}

/** The checkpoint to resume from, after checking that the run's saved config is the one given. */
function resumeFrom(runDir: string, config: TrainConfig) {
  const path = join(runDir, 'config.json');
  if (!existsSync(path))
    throw new TrainerError('NOT_FOUND', `train --resume: ${runDir} holds no run (no config.json)`, runDir);
  const saved = JSON.parse(readFileSync(path, 'utf8')) as TrainConfig;
  const differs = Object.keys({ ...saved, ...config }).filter(
    (k) => JSON.stringify(saved[k as keyof TrainConfig]) !== JSON.stringify(config[k as keyof TrainConfig]),
  );
  if (differs.length) {
    throw new TrainerError(
      'BAD_ARGUMENT',
      `train --resume: the flags differ from the run's config.json in ${differs.join(', ')}; resume with the same flags`,
      path,
    );
  }
  return loadLatestCheckpoint(runDir);
}

/** Drops metrics lines past `step` (steps done after the last checkpoint are redone). */
function keepMetricsUpTo(path: string, step: number): void {
  if (!existsSync(path)) return;
  const kept = readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line && (JSON.parse(line) as StepMetrics).step <= step);
  writeFileSync(path, kept.map((l) => `${l}\n`).join(''));
}
