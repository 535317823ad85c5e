import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { deriveSeed, writeJsonAtomic, optionName } from '@oxels/core';
import type { BackendInfo } from '../backend/initBackend.ts';
import { type BackendPlan, planBackend } from '../backend/planBackend.ts';
import { UNET_2D_CONFIG, UNET_3D_CONFIG, type UNetConfig } from '../constants.ts';
import { TrainerError } from '../errors.ts';
import { datasetShards } from '../data/viewPairs/datasetShards.ts';
import { UNet, unetSizeUnit } from '../model/UNet.ts';
import { validatePhotometricOptions } from '../data/warp/parsePhotometricOptions.ts';
import { validateViewPairSampleOptions } from '../data/viewPairs/viewPairSampleOptions.ts';
import { AdamW } from '../optim/AdamW.ts';
import { restoreNewestReadable, saveCheckpoint } from './checkpoint.ts';
import { graphOxelObjective } from '../graph/graphOxelObjective.ts';
import { checkCropFits } from './fitCrop.ts';
import { NonFiniteSteps } from '../objectives/NonFiniteSteps.ts';
import { decayStartStep, oneCycleRate } from '../optim/oneCycleRate.ts';
import { type BatchSource, openBatchSource } from '../data/openBatchSource.ts';
import { ReplicaPool } from '../parallel/ReplicaPool.ts';
import {
  DEFAULT_KEEP_EVERY,
  type TrainConfig,
  type TrainRunOptions,
  TRAIN_OBJECTIVES,
} from './TrainConfig.ts';
import type { StepMetrics } from './StepMetrics.ts';
import { createTrainObjective } from '../objectives/trainObjective.ts';
import { savedConfig } from './savedConfig.ts';
import { viewSizeOf } from './viewSizeOf.ts';
import { writeTrainingCurves } from './writeTrainingCurves.ts';

/** Hooks of `runTraining` (the library never prints). */
export interface TrainHooks {
  /**
   * `backend`: what the steps run on (the replicas' device when the step is split); `plan`: how and
   * why (`planBackend`); `graph`: whether each step runs as one TensorFlow graph (`plan.graph`).
   */
  onStart?: (info: {
    backend: BackendInfo;
    plan: BackendPlan;
    parameters: number;
    startStep: number;
    graph: boolean;
  }) => void;
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
  /** Steps completed in total (== config.steps unless stopped early), skipped ones included. */
  step: number;
  stopped: boolean;
  /** Steps skipped in this process for a non-finite loss, gradient norm or update (`--on-nonfinite skip`). */
  skippedSteps: number;
  lastMetrics: StepMetrics | null;
  backend: BackendInfo;
}

/** The U-Net configuration of a run. */
export function modelConfig(
  config: Pick<TrainConfig, 'model' | 'outChannels' | 'normalization'>,
): UNetConfig {
  const { outChannels, normalization } = config;
  return { ...(config.model === '2d' ? UNET_2D_CONFIG : UNET_3D_CONFIG), outChannels, normalization };
}

/**
 * Trains the U-Net with `config.objective` (the oxel loss by default) as `config` says, in `runDir`: config.json, metrics.jsonl (one
 * StepMetrics per step), curves.png (at the end) and checkpoints/ (every `checkpointEvery` steps, at the end, and when
 * `shouldStop` says so). With `resume`, continues from the latest checkpoint (the newest readable one, when that
 * one is damaged) with the same schedule and the same data: a run stopped and resumed ends with the weights an
 * uninterrupted run ends with. Nothing is written before the config, the data and the first batch have been
 * checked. A step with a non-finite loss, gradient norm or update changes nothing and is skipped;
 * `run.onNonFinite` says whether the run goes on or stops (TrainerError 'NON_FINITE').
 */
export async function runTraining(
  config: TrainConfig,
  runDir: string,
  run: TrainRunOptions,
  hooks: TrainHooks = {},
): Promise<TrainSummary> {
  validateTrainConfig(config);
  const nonFinite = new NonFiniteSteps(run);
  const log = hooks.onLog ?? (() => {});
  // Before anything is written: an incomplete dataset leaves no run behind.
  const shards =
    config.source.kind === 'shards'
      ? await datasetShards(config.source.dir, {
          allowPartial: run.allowPartial ?? false,
          onLog: log,
          onWarning: log,
        })
      : undefined;
  const saved = run.resume ? resumableConfig(runDir, config) : checkFreshRun(runDir);
  await checkDataFits(config);
  // Every refusal of the plan comes before any replica starts: none may leave worker threads running.
  const plan = await planBackend(run, config);
  const { graph } = plan;
  const configPath = join(runDir, 'config.json');
  const metricsPath = join(runDir, 'metrics.jsonl');
  const model = new UNet(modelConfig(config), config.seed);
  const replicas =
    plan.replicas > 1
      ? await ReplicaPool.start(modelConfig(config), plan.replicas, plan.threadsPerReplica)
      : undefined;
  const backend: BackendInfo = replicas ? { backend: 'wasm', device: replicas.device } : plan.backend;
  const objective = graph
    ? graphOxelObjective(config, model, run.threads)
    : createTrainObjective(config, model, replicas);
  const optimizer = new AdamW(objective.parameters, { weightDecay: config.weightDecay });
  let source: BatchSource | undefined;
  let step = 0;
  let startStep = 0;
  let last: StepMetrics | null = null;
  let stopped = false;
  try {
    /** The newest checkpoint of the run, for the message of a run stopped by non-finite steps. */
    let lastCheckpoint: string | null = null;
    if (saved) {
      const restored = restoreNewestReadable(runDir, (c) => {
        model.setWeights(c.weights);
        optimizer.setState(c.optimizer);
        objective.restore(c.dir);
      });
      if (restored) {
        const { checkpoint, passedOver } = restored;
        if (passedOver.length)
          log(`${optionName('resume')}: ${passedOver.join('; ')}; resuming from ${basename(checkpoint.dir)}`);
        step = checkpoint.step;
        lastCheckpoint = checkpoint.dir;
        log(`resuming ${runDir} at step ${step} of ${config.steps}`);
      }
      checkScheduleChange(saved, config, step, configPath);
    }
    startStep = step;
    hooks.onStart?.({ backend, plan, parameters: model.parameterCount(), startStep, graph });
    source = await openBatchSource(config, startStep, log, shards);
    // The first batch before the first write: a run that fails on its data leaves its folder as it was.
    let batch = await source.next(step);
    if (saved) {
      keepMetricsUpTo(metricsPath, step);
      if (config.steps !== saved.steps) await writeJsonAtomic(configPath, { ...saved, steps: config.steps });
    } else {
      mkdirSync(runDir, { recursive: true });
      writeFileSync(configPath, `${JSON.stringify(config, null, 2)}\n`);
      writeFileSync(metricsPath, '');
    }
    const started = performance.now();
    while (step < config.steps) {
      batch ??= await source.next(step);
      if (!batch) throw new TrainerError('BAD_DATA', `runTraining: the data source ran dry at step ${step}`);
      const t0 = performance.now();
      optimizer.learningRate = oneCycleRate(step, config.steps, {
        peakRate: config.lr,
        decayFraction: config.lrDecay,
      });
      const result = await objective.step(optimizer, batch, deriveSeed(config.seed, 4, step));
      const seconds = (performance.now() - t0) / 1000;
      step++;
      const skipped = nonFinite.record(step, result, lastCheckpoint);
      if (skipped) log(skipped);
      else {
        const { applied: _, ...measured } = result;
        last = {
          step,
          ...measured,
          lr: optimizer.learningRate,
          stepsPerSecond: 1 / seconds,
          pairsPerSecond: batch.batchSize / seconds,
          elapsed: (performance.now() - started) / 1000,
        };
        appendFileSync(metricsPath, `${JSON.stringify(last)}\n`);
        hooks.onStep?.(last);
      }
      batch = undefined;
      // A step on one thread may await only settled promises: give timers (the progress bar) and
      // signals (Ctrl-C) their turn.
      await new Promise((resolve) => setImmediate(resolve));
      stopped = step < config.steps && (hooks.shouldStop?.() ?? false);
      // Skipped steps left the weights as they were: a checkpoint now holds the last finite ones.
      if (step % config.checkpointEvery === 0 || step === config.steps || stopped) {
        await objective.sync?.(optimizer);
        lastCheckpoint = await saveCheckpoint(runDir, step, model, optimizer, {
          keepEvery: run.keepEvery ?? DEFAULT_KEEP_EVERY,
          extraFiles: await objective.checkpointFiles(),
        });
        hooks.onCheckpoint?.(lastCheckpoint, step);
      }
      if (stopped) break;
    }
  } finally {
    await source?.close();
    await replicas?.close();
    optimizer.dispose();
    objective.dispose();
    model.dispose();
  }
  if (step > 0) {
    const curves = await writeTrainingCurves(runDir);
    hooks.onLog?.(`curves: ${curves}`);
  }
  return { runDir, startStep, step, stopped, lastMetrics: last, skippedSteps: nonFinite.skipped, backend };
}

function validateTrainConfig(c: TrainConfig): void {
  const bad = (what: string) => {
    throw new TrainerError('BAD_ARGUMENT', `train: ${what}`);
  };
  for (const [name, v] of [
    [`${optionName('steps')}`, c.steps],
    [`${optionName('batchSize')}`, c.batchSize],
    [`${optionName('checkpointEvery')}`, c.checkpointEvery],
    [`${optionName('outChannels')}`, c.outChannels],
  ] as const) {
    if (!Number.isInteger(v) || v < 1) bad(`${name} must be a positive integer (got ${v})`);
  }
  if (!TRAIN_OBJECTIVES.includes(c.objective))
    bad(`${optionName('objective')} must be one of ${TRAIN_OBJECTIVES.join(', ')} (got ${c.objective})`);
  if (c.objective === 'vader') {
    const v = c.vader;
    if (!Number.isInteger(v.matches) || v.matches < 1)
      bad(`${optionName('matches')} must be a positive integer (got ${v.matches})`);
    if (!Number.isInteger(v.queueSize) || v.queueSize < 1)
      bad(`${optionName('queueSize')} must be a positive integer (got ${v.queueSize})`);
    if (!(v.temperature > 0)) bad(`${optionName('temperature')} must be > 0 (got ${v.temperature})`);
    if (!(v.momentum >= 0 && v.momentum <= 1))
      bad(`${optionName('momentum')} must be in [0, 1] (got ${v.momentum})`);
  }
  if (c.objective === 'clove') {
    const k = c.clove;
    if (!Number.isInteger(k.matches) || k.matches < 1)
      bad(`${optionName('matches')} must be a positive integer (got ${k.matches})`);
    if (!(k.momentum >= 0 && k.momentum <= 1))
      bad(`${optionName('momentum')} must be in [0, 1] (got ${k.momentum})`);
    if (!Number.isInteger(k.heads) || k.heads < 1 || c.outChannels % k.heads !== 0)
      bad(
        `${optionName('heads')} must divide ${optionName('outChannels')} ${c.outChannels} (got ${k.heads})`,
      );
    if (!Number.isInteger(k.topK) || k.topK < 2)
      bad(`${optionName('topK')} must be an integer >= 2 (got ${k.topK})`);
    if (!(k.attentionTemperature > 0))
      bad(`${optionName('attentionTemperature')} must be > 0 (got ${k.attentionTemperature})`);
    const { samples, positiveFraction } = c.sampling;
    if (c.batchSize * Math.min(k.matches, Math.round(samples * positiveFraction)) < 3)
      bad(
        `clove needs at least 3 matched pixels per batch (raise ${optionName('batchSize')}, ${optionName('matches')} or ${optionName('positiveFraction')})`,
      );
  }
  if (!(c.lr > 0)) bad(`${optionName('lr')} must be > 0 (got ${c.lr})`);
  if (!(c.weightDecay >= 0)) bad(`${optionName('weightDecay')} must be >= 0 (got ${c.weightDecay})`);
  if (!(c.clipNorm >= 0)) bad(`${optionName('clipNorm')} must be >= 0, 0 for none (got ${c.clipNorm})`);
  if (!(c.lrDecay > 0 && c.lrDecay <= 1))
    bad(`${optionName('lrDecay')} must be in (0, 1] (got ${c.lrDecay})`);
  if (!(c.lambda >= 0 && c.lambda <= 1)) bad(`${optionName('lambda')} must be in [0, 1] (got ${c.lambda})`);
  validateViewPairSampleOptions(c.sampling);
  const viewPairs = c.source.kind === 'shards' || c.source.kind === 'live';
  if (c.sampling.hardNegatives > 0 && (c.objective !== 'oxel' || !viewPairs))
    bad(
      `${optionName('hardNegatives')} needs the oxel objective on view pairs (${optionName('data')} or ${optionName('live')}; got ${c.objective} on ${c.source.kind})`,
    );
  validatePhotometricOptions(c.photometric, `train ${optionName('photometric')}`);
  const factor = unetSizeUnit(modelConfig(c));
  const { crop } = c.sampling;
  if (crop && (crop[0] % factor !== 0 || crop[1] % factor !== 0)) {
    bad(`${optionName('crop')} ${crop.join('x')}: the ${c.model} U-Net needs sides divisible by ${factor}`);
  }
}

/**
 * A new run: refuses a directory that already holds one, so nothing is overwritten by accident (the
 * directory itself is made once the run has checked its data). Returns null: no saved config.
 */
function checkFreshRun(runDir: string): null {
  if (existsSync(join(runDir, 'checkpoints', 'latest.json')) || existsSync(join(runDir, 'config.json'))) {
    throw new TrainerError(
      'BAD_ARGUMENT',
      `train: ${runDir} already holds a run; pass ${optionName('resume')} to continue it, or choose another ${optionName('out')}`,
      runDir,
    );
  }
  return null;
}

/** Checks `config` against the size of its data's views (3D sources), before anything is written. */
async function checkDataFits(config: TrainConfig): Promise<void> {
  const views = await viewSizeOf(config.source);
  if (!views) return;
  const where =
    config.source.kind === 'shards' ? config.source.dir : `the live generator (${optionName('size')})`;
  checkCropFits(config.sampling.crop, views, unetSizeUnit(modelConfig(config)), where);
}

/** The saved config of a run to resume, after checking that `config` is the same (its length aside). */
function resumableConfig(runDir: string, config: TrainConfig): TrainConfig {
  const path = join(runDir, 'config.json');
  const saved = savedConfig(runDir);
  if (!saved)
    throw new TrainerError(
      'NOT_FOUND',
      `train ${optionName('resume')}: ${runDir} holds no run (no config.json)`,
      runDir,
    );
  const same = (x: unknown, y: unknown) => JSON.stringify(x) === JSON.stringify(y);
  // Option by option within `sampling`: it names the flag, and its key order may differ (an older
  // config.json's, migrated, against the CLI's).
  const differs = Object.keys({ ...saved, ...config }).flatMap((k) =>
    k === 'steps'
      ? []
      : k === 'sampling'
        ? Object.keys({ ...saved.sampling, ...config.sampling })
            .filter((o) => {
              const option = o as keyof TrainConfig['sampling'];
              return !same(saved.sampling[option], config.sampling[option]);
            })
            .map((o) => `sampling.${o}`)
        : same(saved[k as keyof TrainConfig], config[k as keyof TrainConfig])
          ? []
          : [k],
  );
  if (differs.length) {
    throw new TrainerError(
      'BAD_ARGUMENT',
      `train ${optionName('resume')}: the flags differ from the run's config.json in ${differs.join(', ')}; resume with the same flags`,
      path,
    );
  }
  return saved;
}

/**
 * Checks that a run resumed at `step` may take `config.steps` instead of its saved length. The learning
 * rate holds its peak until the decay starts: up to there, a run of either length has trained the
 * same way, so it can be lengthened (or shortened) and continue as that run.
 */
function checkScheduleChange(saved: TrainConfig, config: TrainConfig, step: number, path: string): void {
  if (config.steps === saved.steps) return;
  const decayStart = (steps: number) => decayStartStep(steps, { decayFraction: config.lrDecay });
  const limit = Math.min(decayStart(saved.steps), decayStart(config.steps));
  if (step > limit) {
    throw new TrainerError(
      'BAD_ARGUMENT',
      `train ${optionName('resume')} ${optionName('steps')} ${config.steps}: the run's latest checkpoint (step ${step}) lies past step ${limit}, where the learning rate of the ${Math.min(saved.steps, config.steps)}-step schedule leaves its peak; ${optionName('steps')} can change only before that (resume with ${optionName('steps')} ${saved.steps})`,
      path,
    );
  }
}

/** Drops metrics lines past `step` (steps done after the last checkpoint are redone). */
function keepMetricsUpTo(path: string, step: number): void {
  if (!existsSync(path)) return;
  const kept = readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line && (JSON.parse(line) as StepMetrics).step <= step);
  writeFileSync(path, kept.map((l) => `${l}\n`).join(''));
}
