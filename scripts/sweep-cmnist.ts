// Colored MNIST sweep: trains the 2D U-Net for every lambda x norm x seed at the given budget, evaluates
// each run with the attention probe (pnpm eval colored-mnist), and writes OUT/results.md (the paper's
// table, ours next to theirs), OUT/results.json and OUT/results.png (accuracy over lambda per norm).
// Finished runs and evaluations are kept, so a rerun with the same flags picks up where it stopped.
//   npx tsx scripts/sweep-cmnist.ts [--lambdas 0,0.9] [--norms l1] [--seeds 0] [--steps 600] [--batch 8]
//     [--samples 1024] [--lr 0.002] [--jitter key=value,...] [--train-images 2000] [--eval-images 1000]
//     [--epochs 4] [--pool 2] [--threads 0] [--out runs/sweep-cmnist] [--trainer ts|torch --like DIR]
// The training defaults are train's 2d defaults; --jitter (default: train's) goes to train as it is.
// --trainer torch trains every cell with the PyTorch peer instead (scripts/train-torch.ts), on the
// configuration and batches of the same cell of the TS sweep in --like, and probes it the same way.
// Norm l1 by default: at this budget it shows both halves of the paper's finding (README, Colored MNIST).
import { scriptArgs } from './scriptArgs.ts';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { type ChartSeries, drawChartGrid, writeRgbPng } from '@oxels/image';
import {
  type ColoredMnistReport,
  type ColoredMnistSweepResult,
  coloredMnistMarkdown,
  DEFAULT_PHOTOMETRIC_OPTIONS,
  LOSS_NORMS,
  type LossNorm,
  PAPER_COLORED_MNIST,
  type PhotometricOptions,
  parsePhotometricOptions,
  savedConfig,
  summarizeColoredMnistSweep,
} from '@oxels/trainer';

const root = resolve(import.meta.dirname, '..');
const values = scriptArgs(import.meta.filename, {
  lambdas: { type: 'string', default: '0,0.9' },
  norms: { type: 'string', default: 'l1' },
  seeds: { type: 'string', default: '0' },
  steps: { type: 'string', default: '600' },
  batch: { type: 'string', default: '8' },
  samples: { type: 'string', default: '1024' },
  lr: { type: 'string', default: '0.002' },
  jitter: { type: 'string' },
  'train-images': { type: 'string', default: '2000' },
  'eval-images': { type: 'string', default: '1000' },
  epochs: { type: 'string', default: '4' },
  pool: { type: 'string', default: '2' },
  backend: { type: 'string', default: 'auto' },
  threads: { type: 'string', default: '0' },
  out: { type: 'string', default: 'runs/sweep-cmnist' },
  trainer: { type: 'string', default: 'ts' },
  like: { type: 'string' },
});

const fail = (message: string): never => {
  console.error(`sweep-cmnist: ${message}`);
  process.exit(2);
};
const lambdas = values.lambdas.split(',').map(Number);
if (lambdas.some((l) => !(l >= 0 && l <= 1)))
  fail(`--lambdas must be numbers in [0, 1] (got ${values.lambdas})`);
const norms = values.norms.split(',') as LossNorm[];
if (norms.some((n) => !LOSS_NORMS.includes(n)))
  fail(`--norms must be among ${LOSS_NORMS.join(', ')} (got ${values.norms})`);
const seeds = values.seeds.split(',').map(Number);
if (seeds.some((s) => !Number.isSafeInteger(s) || s < 0))
  fail(`--seeds must be non-negative integers, comma-separated (got ${values.seeds})`);
const out = resolve(values.out);
if (values.trainer !== 'ts' && values.trainer !== 'torch')
  fail(`--trainer must be ts or torch (got ${values.trainer})`);
if ((values.trainer === 'torch') !== Boolean(values.like))
  fail('--like DIR (the TS sweep whose cells to repeat) goes with --trainer torch, and only with it');

const budget = {
  steps: Number(values.steps),
  batch: Number(values.batch),
  samples: Number(values.samples),
  lr: Number(values.lr),
  jitter: values.jitter ?? 'default',
  trainImages: values['train-images'],
  evalImages: values['eval-images'],
  probeEpochs: Number(values.epochs),
  pool: Number(values.pool),
};

/** Runs a CLI of the repo (tsx), streaming its stderr; rejects on a non-zero exit. */
function cli(script: string, args: string[]): Promise<void> {
  return new Promise((done, reject) => {
    const child = spawn('npx', ['tsx', script, ...args], {
      cwd: root,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.on('exit', (code) =>
      code === 0 ? done() : reject(new Error(`${script} ${args.join(' ')} exited with ${code}`)),
    );
  });
}

const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;

function parseJitter(text: string | undefined): PhotometricOptions {
  try {
    return text
      ? parsePhotometricOptions(text, DEFAULT_PHOTOMETRIC_OPTIONS, '--jitter')
      : DEFAULT_PHOTOMETRIC_OPTIONS;
  } catch (err) {
    return fail((err as Error).message);
  }
}
const jitter = parseJitter(values.jitter);
/** A finished run is kept only if it was trained with this sweep's budget and jitter. */
function checkKept(runDir: string): void {
  // savedConfig: a run saved before `sampling` held the samples as a top-level key.
  const config = savedConfig(runDir) ?? fail(`${runDir} holds no config.json`);
  const saved = { ...config, samples: config.sampling.samples };
  const wanted = {
    batchSize: budget.batch,
    samples: budget.samples,
    lr: budget.lr,
    photometric: jitter,
  };
  const differs = Object.entries(wanted)
    .filter(([k, v]) => JSON.stringify(saved[k as keyof typeof saved]) !== JSON.stringify(v))
    .map(([k]) => k);
  if (differs.length)
    fail(
      `${runDir} was trained with another ${differs.join(', ')} than this sweep asks for; use another --out`,
    );
}

const results: ColoredMnistSweepResult[] = [];
const started = performance.now();
for (const norm of norms) {
  for (const lambda of lambdas) {
    for (const seed of seeds) {
      const runDir = join(out, `lambda-${lambda}_norm-${norm}_seed-${seed}`);
      const evalPath = join(runDir, 'eval', 'colored-mnist.json');
      const latest = join(runDir, 'checkpoints', 'latest.json');
      const trained = existsSync(latest) && readJson<{ step: number }>(latest).step >= budget.steps;
      if (trained) checkKept(runDir);
      const kept = trained && existsSync(evalPath);
      const t0 = performance.now();
      if (!trained && values.like) {
        const likeRun = join(resolve(values.like), basename(runDir));
        checkKept(likeRun);
        console.error(
          `sweep-cmnist: training lambda ${lambda}, norm ${norm}, seed ${seed} in PyTorch -> ${runDir}`,
        );
        const threads = values.threads === '0' ? String(availableParallelism()) : values.threads;
        await cli('scripts/train-torch.ts', ['--like', likeRun, '--out', runDir, '--threads', threads]);
      } else if (!trained) {
        console.error(`sweep-cmnist: training lambda ${lambda}, norm ${norm}, seed ${seed} -> ${runDir}`);
        await cli('packages/trainer/bin/train.ts', [
          ...['--mode', '2d', '--dataset', 'colored-mnist', '--norm', norm, '--lambda', String(lambda)],
          ...['--seed', String(seed), '--steps', values.steps, '--batch', values.batch],
          ...['--samples', values.samples, '--lr', values.lr, '--backend', values.backend],
          ...['--threads', values.threads, '--out', runDir, '--quiet'],
          ...(values.jitter ? ['--jitter', values.jitter] : []),
          ...(existsSync(join(runDir, 'config.json')) ? ['--resume'] : []),
        ]);
      }
      const t1 = performance.now();
      if (!kept) {
        await cli('packages/trainer/bin/eval.ts', [
          ...['colored-mnist', '--run', runDir, '--backend', values.backend, '--threads', values.threads],
          ...['--train-images', values['train-images'], '--eval-images', values['eval-images']],
          ...['--epochs', values.epochs, '--pool', values.pool, '--seed', String(seed)],
        ]);
      }
      const report = readJson<ColoredMnistReport>(evalPath);
      // Reports from before the colour sensitivity lack it.
      const colorSensitivity = report.colorSensitivity ?? null;
      results.push({
        lambda,
        norm,
        seed,
        inDomain: report.inDomain,
        outOfDomain: report.outOfDomain,
        colorSensitivity,
      });
      console.error(
        `sweep-cmnist: lambda ${lambda} ${norm} seed ${seed}: in-domain ${(100 * report.inDomain).toFixed(1)}%, ` +
          `out-of-domain ${(100 * report.outOfDomain).toFixed(1)}%, colour sensitivity ${colorSensitivity?.toFixed(3)} ` +
          (kept
            ? '(kept from an earlier sweep)'
            : `(train ${((t1 - t0) / 60000).toFixed(1)} min, eval ${((performance.now() - t1) / 60000).toFixed(1)} min)`),
      );
    }
  }
}

const cells = summarizeColoredMnistSweep(results);
const caption =
  `${values.trainer === 'torch' ? `Trained by the PyTorch peer (scripts/train-torch.ts) on the batches of the TS runs in ${values.like}. ` : ''}Budget: ${budget.steps} steps of ${budget.batch} pairs (${budget.samples} sampled pixels each, peak lr ${budget.lr}, jitter ${budget.jitter}); ` +
  `probe on ${budget.trainImages} train images, ${budget.probeEpochs} epochs, descriptors pooled ${budget.pool}x${budget.pool}; ` +
  `scored on ${budget.evalImages} images per split.`;
const markdown = coloredMnistMarkdown(cells, caption);
writeFileSync(join(out, 'results.md'), markdown);
writeFileSync(
  join(out, 'results.json'),
  `${JSON.stringify({ budget, minutes: (performance.now() - started) / 60000, results, cells }, null, 2)}\n`,
);

// One chart per norm: accuracy (%) over lambda, ours and the paper's, in-domain and out-of-domain.
const series = (name: string, points: [number, number][]): ChartSeries => ({ name, points });
const charts = norms.map((norm) => {
  const ours = cells.filter((c) => c.norm === norm);
  const paper = PAPER_COLORED_MNIST.filter((p) => p.norm === norm);
  return {
    series: [
      series(
        'ours in-domain',
        ours.map((c) => [c.lambda, 100 * c.inDomain.mean]),
      ),
      series(
        'ours out-of-domain',
        ours.map((c) => [c.lambda, 100 * c.outOfDomain.mean]),
      ),
      series(
        'paper in-domain',
        paper.map((p) => [p.lambda, 100 * p.inDomain]),
      ),
      series(
        'paper out-of-domain',
        paper.map((p) => [p.lambda, 100 * p.outOfDomain]),
      ),
    ],
    options: {
      width: 480,
      height: 320,
      title: `Colored MNIST, norm ${norm}`,
      xLabel: 'lambda (weight of the between-image term)',
      yLabel: 'accuracy %',
      yRange: [0, 100] as const,
    },
  };
});
await writeRgbPng(join(out, 'results.png'), drawChartGrid(charts, 3));
process.stdout.write(markdown);
console.error(`sweep-cmnist: wrote ${join(out, 'results.md')}, results.json and results.png`);
