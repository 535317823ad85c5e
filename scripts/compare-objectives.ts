// The seed papers' objectives on one harness: trains the U-Net with the oxel loss, VADeR and CLoVE on
// the same shards with the same budget (steps, batch, crop, samples, lr, seed), evaluates each with the
// correspondence benchmark on held-out pairs, and writes OUT/compare.md + OUT/compare.json (one table)
// and OUT/curves.png (the three training-loss curves). Runs live in OUT/<objective>; a rerun resumes
// them (the same flags are required), so an interrupted comparison continues where it stopped.
//   npx tsx scripts/compare-objectives.ts --data data/eval-train --eval-data data/eval-heldout \
//     [--steps 200] [--batch 8] [--crop 64x64] [--samples 1024] [--positive-fraction 0.125]
//     [--local-negatives 0] [--lr 1e-3] [--seed 0] [--model 3d]
//     [--objectives oxel,vader,clove] [--queue-size 4096] [--pairs 20] [--queries 500]
//     [--backend auto] [--threads 0] [--out runs/compare]
// Search distance: the oxel run is searched with its training norm (inf), VADeR and CLoVE with the L2
// distance of L2-normalised descriptors (the cosine similarity their losses use). Raw RGB, searched
// with the oxel run's norm, is the baseline row.
import { scriptArgs } from './scriptArgs.ts';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type ChartSeries, drawChartGrid, writeRgbPng } from '@oxels/image';
import { readDataset } from '@oxels/dataset';
import {
  type BackendName,
  type CorrespondenceRow,
  DEFAULT_TRAIN_CONFIG,
  type DescriptorMap,
  type DescriptorMethod,
  evaluateCorrespondence,
  initBackend,
  loadRun,
  modelDescriptors,
  RGB_METHOD,
  runTraining,
  type StepMetrics,
  TRAIN_OBJECTIVES,
  type TrainConfig,
  type TrainObjectiveName,
} from '@oxels/trainer';

const a = scriptArgs(import.meta.filename, {
  data: { type: 'string' },
  'eval-data': { type: 'string' },
  steps: { type: 'string', default: '200' },
  batch: { type: 'string', default: '8' },
  crop: { type: 'string', default: '64x64' },
  samples: { type: 'string', default: String(DEFAULT_TRAIN_CONFIG.sampling.samples) },
  'positive-fraction': { type: 'string', default: String(DEFAULT_TRAIN_CONFIG.sampling.positiveFraction) },
  'local-negatives': { type: 'string', default: String(DEFAULT_TRAIN_CONFIG.sampling.localNegatives) },
  lr: { type: 'string', default: String(DEFAULT_TRAIN_CONFIG.lr) },
  seed: { type: 'string', default: '0' },
  model: { type: 'string', default: '3d' },
  objectives: { type: 'string', default: TRAIN_OBJECTIVES.join(',') },
  'queue-size': { type: 'string', default: String(DEFAULT_TRAIN_CONFIG.vader.queueSize) },
  pairs: { type: 'string', default: '20' },
  queries: { type: 'string', default: '500' },
  backend: { type: 'string', default: 'auto' },
  threads: { type: 'string', default: '0' },
  out: { type: 'string', default: 'runs/compare' },
});
const fail = (message: string): never => {
  process.stderr.write(`compare-objectives: ${message}\n`);
  process.exit(2);
};
if (!a.data || !a['eval-data'])
  fail('need --data DIR (training shards) and --eval-data DIR (held-out shards)');
const objectives = a.objectives.split(',') as TrainObjectiveName[];
for (const o of objectives)
  if (!TRAIN_OBJECTIVES.includes(o)) fail(`unknown objective ${o} (expected ${TRAIN_OBJECTIVES})`);
const crop = a.crop === 'none' ? null : (a.crop.split('x').map(Number) as [number, number]);
const out = resolve(a.out);
mkdirSync(out, { recursive: true });
const backend = a.backend as BackendName;
const threads = Number(a.threads);

const base: TrainConfig = {
  ...DEFAULT_TRAIN_CONFIG,
  source: { kind: 'shards', dir: resolve(a.data as string) },
  model: a.model as '2d' | '3d',
  steps: Number(a.steps),
  batchSize: Number(a.batch),
  sampling: {
    ...DEFAULT_TRAIN_CONFIG.sampling,
    crop,
    samples: Number(a.samples),
    positiveFraction: Number(a['positive-fraction']),
    localNegatives: Number(a['local-negatives']),
  },
  lr: Number(a.lr),
  seed: Number(a.seed),
  checkpointEvery: Math.max(1, Math.ceil(Number(a.steps) / 4)),
  vader: { ...DEFAULT_TRAIN_CONFIG.vader, queueSize: Number(a['queue-size']) },
};

/** Per-pixel L2 normalisation of a descriptor map (in place). */
function normalised(map: DescriptorMap): DescriptorMap {
  const { data, channels: c } = map;
  for (let p = 0; p < data.length; p += c) {
    let s = 0;
    for (let k = 0; k < c; k++) s += data[p + k] * data[p + k];
    const inv = 1 / Math.sqrt(s + 1e-12);
    for (let k = 0; k < c; k++) data[p + k] *= inv;
  }
  return map;
}

interface Row extends CorrespondenceRow {
  objective: TrainObjectiveName | 'rgb';
  search: string;
  steps: number;
  finalLoss: number;
  trainSeconds: number;
}

const rows: Row[] = [];
const curves = new Map<TrainObjectiveName, StepMetrics[]>();
for (const objective of objectives) {
  const runDir = join(out, objective);
  const config: TrainConfig = { ...base, objective };
  const resume = existsSync(join(runDir, 'config.json'));
  const t0 = performance.now();
  process.stderr.write(`compare-objectives: ${resume ? 'resuming' : 'training'} ${objective} in ${runDir}\n`);
  await runTraining(
    config,
    runDir,
    // One replica for all: vader and clove run on one thread, so their train times stay comparable.
    { backend, threads, replicas: 1, resume },
    {
      onStep: (m) => {
        if (m.step % 10 === 0 || m.step === config.steps)
          process.stderr.write(`  ${objective} step ${m.step}/${config.steps} loss ${m.loss.toFixed(4)}\n`);
      },
    },
  );
  const trainSeconds = (performance.now() - t0) / 1000;
  const metrics = readFileSync(join(runDir, 'metrics.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as StepMetrics);
  curves.set(objective, metrics);

  await initBackend(backend, { threads });
  const trained = loadRun(runDir);
  const cosine = objective !== 'oxel';
  const method: DescriptorMethod = {
    name: objective,
    description: `${runDir} at step ${trained.step}`,
    describe: async (s) => {
      const maps = modelDescriptors(trained.model, s.rgbA, s.rgbB, s.meta.width, s.meta.height);
      return cosine ? { a: normalised(maps.a), b: normalised(maps.b) } : maps;
    },
  };
  try {
    const evaluation = await evaluateCorrespondence(
      readDataset(resolve(a['eval-data'] as string)),
      [method],
      {
        norm: cosine ? 'l2' : config.norm,
        maxPairs: Number(a.pairs),
        maxQueries: Number(a.queries),
        seed: 0,
      },
    );
    rows.push({
      ...evaluation.rows[0],
      objective,
      search: cosine ? 'cosine' : config.norm,
      steps: trained.step,
      finalLoss: metrics.at(-1)?.loss ?? Number.NaN,
      trainSeconds,
    });
  } finally {
    trained.model.dispose();
  }
}

const rgb = await evaluateCorrespondence(readDataset(resolve(a['eval-data'] as string)), [RGB_METHOD], {
  norm: base.norm,
  maxPairs: Number(a.pairs),
  maxQueries: Number(a.queries),
  seed: 0,
});
rows.push({
  ...rgb.rows[0],
  objective: 'rgb',
  search: base.norm,
  steps: 0,
  finalLoss: Number.NaN,
  trainSeconds: 0,
});

const thresholds = Object.keys(rows[0]?.pck ?? {});
const pck = (r: Row) => thresholds.map((t) => (100 * r.pck[t]).toFixed(1));
const md = [
  `# Objectives compared (same U-Net, data and budget)`,
  '',
  `Training: ${base.model} U-Net, ${base.steps} steps x ${base.batchSize} pairs, crop ${crop ? crop.join('x') : 'none'}, ` +
    `${base.sampling.samples} samples/pair (positive fraction ${base.sampling.positiveFraction}, local negatives ${base.sampling.localNegatives}), peak lr ${base.lr}, seed ${base.seed}, data ${base.source.kind === 'shards' ? base.source.dir : ''}. ` +
    `Evaluation: ${a['eval-data']}, up to ${a.pairs} pairs x ${a.queries} queries, nearest neighbour over all of view B.`,
  '',
  `| objective | search | steps | final loss | train s | queries | median px | ${thresholds.map((t) => `PCK@${t}`).join(' | ')} |`,
  `|---|---|---|---|---|---|---|${thresholds.map(() => '---|').join('')}`,
  ...rows.map(
    (r) =>
      `| ${r.objective} | ${r.search} | ${r.steps} | ${Number.isNaN(r.finalLoss) ? '-' : r.finalLoss.toFixed(4)} | ${r.trainSeconds.toFixed(0)} | ${r.queries} | ${r.medianError.toFixed(2)} | ${pck(r).join(' | ')} |`,
  ),
  '',
  "PCK in percent. Loss scales differ between objectives (oxel: the paper's loss; vader: InfoNCE; clove: margin ranking).",
  '',
].join('\n');
writeFileSync(join(out, 'compare.md'), md);
writeFileSync(
  join(out, 'compare.json'),
  `${JSON.stringify({ config: base, evalData: resolve(a['eval-data'] as string), rows }, (_, v) => (Number.isNaN(v) ? null : v), 2)}\n`,
);
const series = (name: string, ms: StepMetrics[], pick: (m: StepMetrics) => number): ChartSeries => ({
  name,
  points: ms.map((m) => [m.step, pick(m)]),
});
await writeRgbPng(
  join(out, 'curves.png'),
  drawChartGrid(
    [...curves].map(([objective, ms]) => ({
      series: [series('loss', ms, (m) => m.loss)],
      options: { title: `${objective}: training loss`, xLabel: 'step', yLabel: 'loss' },
    })),
    3,
  ),
);
process.stdout.write(md);
process.stderr.write(`compare-objectives: wrote ${join(out, 'compare.md')}, compare.json, curves.png\n`);
