import { resolve } from 'node:path';
import { type CliIO, EXIT, errorLine, formatDuration, progressBar, runCli, withFlags } from '@oxels/core';
import { DEFAULT_ASSET_CACHE_DIR, DEFAULT_GENERATE_CONFIG } from '@oxels/scene-gen/live';
import { type Command, CommanderError, type OptionValues } from 'commander';
import type { BackendPlan } from '../backend/planBackend.ts';
import { DEFAULT_CROP } from '../data/viewPairs/viewPairSampleOptions.ts';
import { unetSizeUnit } from '../model/UNet.ts';
import { fitDefaultCrop } from '../run/fitCrop.ts';
import { modelConfig, runTraining, type TrainSummary } from '../run/runTraining.ts';
import { savedConfig } from '../run/savedConfig.ts';
import { DEFAULT_TRAIN_CONFIG, type TrainConfig, type TrainSource } from '../run/TrainConfig.ts';
import { viewSizeOf } from '../run/viewSizeOf.ts';
import { DEFAULT_2D, trainProgram } from './trainProgram.ts';

/** TrainConfig keys whose flag is spelt otherwise (the rest: `--` + kebab case of the key). */
const TRAIN_FLAGS = { batchSize: '--batch', outChannels: '--channels', photometric: '--jitter' };

const d = DEFAULT_TRAIN_CONFIG;

/**
 * `pnpm train ...`: trains a run as the flags say (`trainProgram`), printing its progress to stderr and
 * its last line to stdout. Returns the exit code: 0 done, 1 failed (bad data, a refused config, a
 * failed step; one line `train: error: ...`), 2 bad command line, 130 stopped by Ctrl-C (with a
 * checkpoint). A second Ctrl-C more than a second after the first exits the process at once.
 */
export function runTrain(argv: string[], cli: CliIO): Promise<number> {
  // The library's messages name options (`cropShift`); this command shows them as its flags.
  const io: CliIO = { out: cli.out, err: (text) => cli.err(withFlags(text, TRAIN_FLAGS)) };
  const program = trainProgram(io);
  return runCli(
    io,
    async () => {
      program.parse(argv, { from: 'user' });
      try {
        return await train(program, program.opts(), io);
      } catch (err) {
        if (err instanceof CommanderError) throw err;
        // Whatever stopped the run (data, a refused config, a failed step) is one line, never a stack.
        io.err(`${errorLine(err as Error, 'train', TRAIN_FLAGS)}\n`);
        return EXIT.failed;
      }
    },
    { name: 'train', flags: TRAIN_FLAGS },
  );
}

/** Where the pairs come from, by the flags; a usage error (exit 2) for a contradictory choice. */
function trainSource(program: Command, o: OptionValues): TrainSource {
  if (o.mode === '2d') {
    if (o.data || o.live) program.error('train: --data and --live are for 3d mode; 2d mode takes --dataset');
    if (!o.dataset) program.error('train: 2d mode needs --dataset colored-mnist or --dataset DIR');
    return o.dataset === 'colored-mnist'
      ? { kind: 'colored-mnist', mnistDir: o.mnistDir ? resolve(o.mnistDir) : null }
      : { kind: 'images', dir: resolve(o.dataset), size: [32, 32] };
  }
  if (o.jitter) program.error('train: --jitter is for 2d mode (3d views keep their rendered colours)');
  if (Boolean(o.data) === Boolean(o.live)) program.error('train: give either --data DIR (shards) or --live');
  if (o.data) return { kind: 'shards', dir: resolve(o.data) };
  return {
    kind: 'live',
    workers: o.workers,
    assetCache: DEFAULT_ASSET_CACHE_DIR,
    generate: {
      ...DEFAULT_GENERATE_CONFIG,
      rooms: o.rooms,
      pairsPerRoom: o.pairsPerRoom,
      width: o.size[0],
      height: o.size[1],
      seed: o.seed,
      scenenn: o.scenenn ? resolve(o.scenenn) : null,
      shapenet: o.shapenet ? resolve(o.shapenet) : null,
    },
  };
}

/**
 * The default crop for `source`'s views: DEFAULT_CROP, or on smaller views the largest square that fits
 * (with a note saying so).
 */
async function defaultCrop(
  source: TrainSource,
  model: TrainConfig['model'],
  io: CliIO,
): Promise<[number, number]> {
  const views = await viewSizeOf(source);
  const fitted = views && fitDefaultCrop(DEFAULT_CROP, views, unetSizeUnit(modelConfig({ ...d, model })));
  if (!views || !fitted || fitted.join() === DEFAULT_CROP.join()) return [DEFAULT_CROP[0], DEFAULT_CROP[1]];
  io.err(`train: --crop not given: using ${fitted.join('x')} to fit the ${views.join('x')} views\n`);
  return fitted;
}

/**
 * The run's config from the flags: a flag wins; without it a resumed run keeps what it was trained with
 * (`--crop`, `--crop-shift`, `--hard-*`, `--jitter`, `--normalization`, `--steps`, `--lr-decay`: their
 * defaults may have changed since), and a new one takes the default (2d mode's own where it has one,
 * the crop fitted to the data's views).
 */
async function configFromFlags(
  program: Command,
  o: OptionValues,
  saved: TrainConfig | null,
  io: CliIO,
): Promise<TrainConfig> {
  const is2d = o.mode === '2d';
  const source = trainSource(program, o);
  const model = o.model ?? (is2d ? '2d' : '3d');
  const s = d.sampling;
  const crop =
    is2d || o.crop === 'none'
      ? null
      : (o.crop ?? (saved ? saved.sampling.crop : await defaultCrop(source, model, io)));
  return {
    ...d,
    source,
    model,
    outChannels: o.channels,
    normalization:
      o.normalization ?? saved?.normalization ?? (is2d ? DEFAULT_2D.normalization : d.normalization),
    objective: o.objective,
    vader: {
      matches: o.matches,
      temperature: o.temperature,
      momentum: o.momentum ?? d.vader.momentum,
      queueSize: o.queueSize,
    },
    clove: {
      matches: o.matches,
      momentum: o.momentum ?? d.clove.momentum,
      heads: o.heads,
      attentionTemperature: o.attentionTemperature,
      topK: o.topK,
      margin: o.margin,
    },
    steps: o.steps ?? saved?.steps ?? (is2d ? DEFAULT_2D.steps : d.steps),
    batchSize: o.batch ?? (is2d ? DEFAULT_2D.batchSize : d.batchSize),
    lr: o.lr ?? (is2d ? DEFAULT_2D.lr : d.lr),
    lrDecay: o.lrDecay ?? saved?.lrDecay ?? (is2d ? DEFAULT_2D.lrDecay : d.lrDecay),
    weightDecay: o.weightDecay,
    clipNorm: o.clipNorm,
    norm: o.norm,
    lambda: o.lambda,
    sampling: {
      samples: o.samples ?? (is2d ? DEFAULT_2D.samples : s.samples),
      positiveFraction: o.positiveFraction,
      crop,
      cropShift:
        o.cropShift === 'none'
          ? null
          : (o.cropShift ?? (saved ? saved.sampling.cropShift : crop && s.cropShift)),
      localNegatives: o.localNegatives,
      localRadius: o.localRadius,
      hardNegatives: o.hardNegatives ?? saved?.sampling.hardNegatives ?? s.hardNegatives,
      hardRadius: o.hardRadius ?? saved?.sampling.hardRadius ?? s.hardRadius,
    },
    photometric: o.jitter ?? saved?.photometric ?? d.photometric,
    seed: o.seed,
    checkpointEvery: o.checkpointEvery,
  };
}

/** The plan as the run's log prints it: `train: backend plan: wasm (--backend); 1 thread (--threads); ...`. */
export const planLine = (plan: BackendPlan) => `train: backend plan: ${plan.why.join('; ')}`;

/** The run itself: its config, progress and last line; Ctrl-C stops it after the step, with a checkpoint. */
async function train(program: Command, o: OptionValues, io: CliIO): Promise<number> {
  const saved = o.resume ? savedConfig(resolve(o.out)) : null;
  const config = await configFromFlags(program, o, saved, io);
  const bar = progressBar(
    'train |{bar}| step {value}/{total} | loss {loss} | {rate} steps/s | ETA {remaining}',
    { logEveryMs: 30_000 },
  );
  /**
   * When the last 21 steps ended. The ETA comes from these, not from the bar's own clock, which starts
   * before a resumed run has redrawn its past batches (minutes) and would count that as a step.
   */
  const stepEnds: number[] = [];
  /** When the first Ctrl-C came (0: none). */
  let stopRequestedAt = 0;
  const onInterrupt = () => {
    // One Ctrl-C can arrive twice: from the terminal, to the whole process group, and relayed by a
    // wrapper (the tsx CLI, when run through it). A second one within a second is the same keypress.
    const now = Date.now();
    if (!stopRequestedAt) {
      stopRequestedAt = now;
      io.err('\ntrain: stopping after this step (checkpoint); Ctrl-C again to quit at once\n');
    } else if (now - stopRequestedAt > 1000) process.exit(130);
  };
  process.on('SIGINT', onInterrupt);
  const runDir = resolve(o.out);
  let summary: TrainSummary;
  try {
    summary = await runTraining(
      config,
      runDir,
      {
        backend: o.backend,
        allowSoftwareGpu: o.allowSoftwareGpu,
        threads: o.threads,
        replicas: o.replicas,
        graph: o.graph,
        resume: o.resume,
        keepEvery: o.keepEvery,
        allowPartial: o.allowPartial,
        onNonFinite: o.onNonfinite,
        maxNonFinite: o.maxNonfinite,
      },
      {
        onLog: (m) => io.err(`train: ${m}\n`),
        onStart: ({ backend, plan, parameters, startStep, graph }) => {
          io.err(
            `train: backend ${backend.backend} (${backend.device}); ${config.model} U-Net, ${parameters.toLocaleString('en')} parameters; objective ${config.objective}` +
              `${graph ? '; each step one TensorFlow graph' : ''}\n${planLine(plan)}\n`,
          );
          if (!o.quiet) bar.start(config.steps, startStep, { loss: '-', rate: '-', remaining: '-' });
        },
        onStep: (m) => {
          if (o.quiet) return;
          stepEnds.push(performance.now());
          if (stepEnds.length > 21) stepEnds.shift();
          const secondsPerStep = (stepEnds[stepEnds.length - 1] - stepEnds[0]) / 1000 / (stepEnds.length - 1);
          bar.update(m.step, {
            loss: m.loss.toFixed(4),
            rate: m.stepsPerSecond.toFixed(2),
            remaining: formatDuration((config.steps - m.step) * secondsPerStep),
          });
        },
        shouldStop: () => stopRequestedAt > 0,
      },
    );
  } finally {
    if (!o.quiet) bar.stop();
    process.off('SIGINT', onInterrupt);
  }
  const m = summary.lastMetrics;
  io.out(
    `train: ${summary.stopped ? 'stopped' : 'done'} at step ${summary.step}/${config.steps}` +
      (m
        ? config.objective === 'oxel'
          ? `, loss ${m.loss.toFixed(4)} (within ${m.within.toFixed(4)}, between ${m.between.toFixed(4)})`
          : `, loss ${m.loss.toFixed(4)} (positive similarity ${m.within.toFixed(4)}, negative ${m.between.toFixed(4)})`
        : '') +
      (summary.skippedSteps ? `; ${summary.skippedSteps} non-finite steps skipped` : '') +
      ` -> ${runDir}\n`,
  );
  return summary.stopped ? 130 : EXIT.ok;
}
