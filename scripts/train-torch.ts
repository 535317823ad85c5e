// Trains a TS run's configuration with the PyTorch peer (scripts/torch_train.py), for comparing the
// two trainers on the same data: the TS trainer's own batch source draws every batch (as `pnpm train`
// would for that config and seed) and streams it to PyTorch over a pipe; both start from the same
// initial weights (the TS U-Net for the seed, loaded strictly). PyTorch steps with its own oxel loss,
// schedule, AdamW and clipping, dropout on as configured. OUT becomes a run directory that `pnpm eval`
// reads: config.json (the TS run's), metrics.jsonl, checkpoints/step-0000000 (the initial weights)
// and the final weights as the checkpoint of the last step.
//   npx tsx scripts/train-torch.ts --like RUN --out DIR [--threads 2]
// A killed run starts again from step 0 (a 2D run is minutes); a finished OUT is left as it is.
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { once } from 'node:events';
import { formatDuration, progressBar } from '@oxels/core';
import {
  AdamW,
  DEFAULT_ONE_CYCLE_OPTIONS,
  decodeSafetensors,
  initBackend,
  loadLatestCheckpoint,
  modelConfig,
  oihwToHwio,
  openBatchSource,
  packLossBatch,
  savedConfig,
  saveCheckpoint,
  UNet,
  writeTrainingCurves,
} from '@oxels/trainer';
import { projectPython } from './projectPython.ts';
import { scriptArgs } from './scriptArgs.ts';

const values = scriptArgs(import.meta.filename, {
  like: { type: 'string' },
  out: { type: 'string' },
  threads: { type: 'string', default: '2' },
});
const fail = (message: string): never => {
  console.error(`train-torch: ${message}`);
  process.exit(1);
};
if (!values.like || !values.out) fail('--like RUN and --out DIR are both needed (--help)');
const threads = Number(values.threads);
if (!Number.isInteger(threads) || threads < 1)
  fail(`--threads must be a positive integer (got ${values.threads})`);
const like = resolve(values.like!);
const out = resolve(values.out!);

const config = savedConfig(like) ?? fail(`${like} holds no training run (no config.json)`);
if (config.objective !== 'oxel')
  fail(`${like} trains ${config.objective}; the PyTorch peer has the oxel objective only`);
if (config.sampling.hardNegatives > 0) fail(`${like} mines hard negatives, which the PyTorch peer does not`);
const finished =
  existsSync(join(out, 'checkpoints', 'latest.json')) && loadLatestCheckpoint(out)?.step === config.steps;
if (finished) {
  console.error(`train-torch: ${out} is trained (${config.steps} steps); nothing to do`);
  process.exit(0);
}

const python =
  projectPython() ??
  fail('the PyTorch peer needs torch in the project venv, and scripts/setup-python.sh failed');

const backend = await initBackend('auto', { threads: 1 });
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'config.json'), `${JSON.stringify(config, null, 2)}\n`);
const unet = modelConfig(config);
const model = new UNet(unet, config.seed);
const optimizer = new AdamW(model.parameters, { weightDecay: config.weightDecay });
await saveCheckpoint(out, 0, model, optimizer, { keep: 2 });

const source = await openBatchSource(config, 0, (m) => console.error(`train-torch: ${m}`));
const first = (await source.next(0)) ?? fail('the batch source gave no batch');
const { layout } = packLossBatch(first);
writeFileSync(
  join(out, 'torch-meta.json'),
  `${JSON.stringify({
    model: config.model,
    normalization: config.normalization,
    outChannels: config.outChannels,
    dropout: unet.dropout,
    norm: config.norm,
    lambda: config.lambda,
    clipNorm: config.clipNorm,
    steps: config.steps,
    seed: config.seed,
    threads,
    optimizer: { lr: config.lr, ...optimizer.options },
    schedule: { ...DEFAULT_ONE_CYCLE_OPTIONS, decayFraction: config.lrDecay },
    batchLayout: layout,
  })}\n`,
);
console.error(
  `train-torch: ${config.steps} steps of ${like}'s configuration in PyTorch (${threads} threads); batches drawn on ${backend.backend}`,
);

const child = spawn(python, [resolve(import.meta.dirname, 'torch_train.py'), out], {
  stdio: ['pipe', 'pipe', 'inherit'],
});
const exited = once(child, 'exit') as Promise<[number | null, string | null]>;
const metricsPath = join(out, 'metrics.jsonl');
writeFileSync(metricsPath, '');
const bar = progressBar(
  'train-torch |{bar}| step {value}/{total} | loss {loss} | {rate} steps/s | ETA {eta_formatted}',
  {
    logEveryMs: 30_000,
    etaBuffer: 50,
  },
);
bar.start(config.steps, 0, { loss: '-', rate: '-' });
const started = performance.now();
let lines = '';
child.stdout.setEncoding('utf8');
child.stdout.on('data', (text: string) => {
  lines += text;
  let end = lines.indexOf('\n');
  while (end >= 0) {
    const m = JSON.parse(lines.slice(0, end)) as { step: number; loss: number };
    lines = lines.slice(end + 1);
    const elapsed = (performance.now() - started) / 1000;
    const stepsPerSecond = m.step / elapsed;
    const line = { ...m, stepsPerSecond, pairsPerSecond: stepsPerSecond * config.batchSize, elapsed };
    appendFileSync(metricsPath, `${JSON.stringify(line)}\n`);
    bar.update(m.step, { loss: m.loss.toFixed(4), rate: (m.step / elapsed).toFixed(2) });
    end = lines.indexOf('\n');
  }
});

// Batches are drawn one ahead and written as the pipe drains: PyTorch never waits for more than one.
let batch = first;
for (let step = 0; step < config.steps; step++) {
  if (child.exitCode !== null) break;
  if (!child.stdin.write(packLossBatch(batch).bytes))
    await Promise.race([once(child.stdin, 'drain'), exited]);
  if (step + 1 < config.steps)
    batch = (await source.next(step + 1)) ?? fail(`the batch source ran dry at step ${step + 1}`);
}
child.stdin.end();
await source.close();
const [code, signal] = await exited;
bar.stop();
if (code !== 0)
  fail(`scripts/torch_train.py exited with ${signal ?? code}; ${out} is incomplete, rerun to start again`);

// The final weights into the trainer's checkpoint format, for eval.
const finalPath = join(out, 'torch-final.safetensors');
const { tensors } = decodeSafetensors(readFileSync(finalPath), finalPath);
const names = [...model.parameters.keys()];
const missing = names.filter((n) => !tensors.has(n));
if (missing.length) fail(`${finalPath} lacks ${missing.slice(0, 3).join(', ')}`);
model.setWeights(new Map(names.map((n) => [n, oihwToHwio(tensors.get(n)!)])));
await writeTrainingCurves(out);
// Last: the checkpoint of the final step is what marks OUT finished.
await saveCheckpoint(out, config.steps, model, optimizer, { keep: 2 });
console.error(
  `train-torch: ${config.steps} steps in ${formatDuration((performance.now() - started) / 1000)} -> ${out}`,
);
model.dispose();
optimizer.dispose();
