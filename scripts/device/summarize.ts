// The summary of a scripts/device/run.sh run: reads OUT/steps.tsv (each step's status, seconds, note),
// takes the JSON each benchmark printed (the last JSON object in OUT/logs/<step>.out) into
// OUT/<step>.json, picks each step's key numbers, compares webgpu with the PyTorch CUDA peer, and writes
// OUT/summary.json; prints a short table. Exit status 1 when a step failed or timed out.
//   node --import tsx scripts/device/summarize.ts --out OUT [--budget SECONDS] [--elapsed SECONDS]
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { scriptArgs } from '../scriptArgs.ts';

const values = scriptArgs(import.meta.filename, {
  out: { type: 'string' },
  budget: { type: 'string' },
  elapsed: { type: 'string' },
});
const out = values.out ?? '';
if (!out) {
  console.error('summarize: --out OUT is required');
  process.exit(2);
}

/** The first steps/s of PyTorch CUDA that webgpu is to reach, then the goal. */
const TARGET = { firstMilestone: 0.5, goal: 1.0 };

// The benchmarks' JSON, read field by field with fallbacks to null: typing each script's output here
// would duplicate it.
// biome-ignore lint/suspicious/noExplicitAny: untyped JSON from other scripts, see above
type Json = Record<string, any>;
interface Step {
  status: 'ok' | 'failed' | 'timeout' | 'skipped';
  seconds: number;
  note?: string;
  [key: string]: unknown;
}

const read = (path: string): string | undefined =>
  existsSync(path) ? readFileSync(path, 'utf8') : undefined;
const readJson = (path: string): Json | undefined => {
  const text = read(path);
  try {
    return text === undefined ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
};

/** The last JSON object printed in `text` (pretty or on one line), after whatever else was printed. */
function lastJson(text: string): Json | undefined {
  const lines = text.split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    if (!lines[i].startsWith('{')) continue;
    try {
      return JSON.parse(lines.slice(i).join('\n'));
    } catch {
      try {
        return JSON.parse(lines[i]);
      } catch {}
    }
  }
  return undefined;
}

const steps: Record<string, Step> = {};
for (const line of (read(join(out, 'steps.tsv')) ?? '').split('\n').filter(Boolean)) {
  const [name, status, seconds, note] = line.split('\t');
  steps[name] = { status: status as Step['status'], seconds: Number(seconds), ...(note && { note }) };
}

/** A step's JSON: the file a helper wrote, else the last object on its stdout (then saved as the file). */
function stepJson(name: string): Json | undefined {
  const file = join(out, `${name}.json`);
  const written = readJson(file);
  if (written) return written;
  const parsed = lastJson(read(join(out, 'logs', `${name}.out`)) ?? '');
  if (parsed) writeFileSync(file, `${JSON.stringify(parsed, null, 2)}\n`);
  return parsed;
}

const round = (x: unknown, digits = 3) => (typeof x === 'number' ? Number(x.toPrecision(digits)) : null);

/** Key numbers of each kind of step, from its JSON (or run folder). */
const KEYS: Record<string, (name: string) => Json | undefined> = {
  adapter: (name) => {
    const a = stepJson(name);
    return (
      a && {
        node: a.node,
        trainingAdapter: a.training?.description ?? null,
        trainingAdapterHardware: a.training?.hardware === true,
        rendererAdapter: a.renderer?.error ? null : `${a.renderer?.description || a.renderer?.device}`,
        rendererAdapterHardware: a.rendererHardware === true,
      }
    );
  },
  smoke: () => {
    const dir = join(out, 'smoke');
    const manifest = readJson(join(dir, 'data', 'manifest.json'));
    const metrics = (read(join(dir, 'run', 'metrics.jsonl')) ?? '').split('\n').filter(Boolean);
    const last = metrics.length ? JSON.parse(metrics.at(-1)!) : undefined;
    const logs = ['out', 'err'].map((e) => read(join(out, 'logs', `smoke.${e}`)) ?? '').join('\n');
    const backend = /train: backend ([^;]*)/.exec(logs)?.[1];
    return {
      pairs: manifest?.totals?.pairs ?? null,
      trainSteps: last?.step ?? null,
      trainBackend: backend ?? null,
      lastLoss: round(last?.loss),
    };
  },
  parity: (name) => {
    const p = stepJson(name);
    if (!p) return undefined;
    const logs: string[] = [...p.log, ...p.tests.flatMap((t: Json) => t.log)];
    const errors = logs.flatMap((l) => [...l.matchAll(/relative L2 ([\d.e+-]+)/g)].map((m) => Number(m[1])));
    return {
      passed: p.passed,
      failed: p.failed,
      skipped: p.skipped,
      adapter: logs
        .find((l) => l.startsWith('backendParity: webgpu on'))
        ?.slice('backendParity: webgpu on '.length),
      worstRelativeL2: errors.length ? Math.max(...errors) : null,
      tolerance: 1e-3,
      ...(p.loadError && { loadError: p.loadError.split('\n')[0] }),
    };
  },
  // bench-train --gpu: webgpu and, when python3 had torch with CUDA, PyTorch on the same GPU.
  train: (name) => {
    const c = stepJson(name)?.configs?.[name.replace('train-', '')];
    const w = c?.runs?.webgpu;
    const t = c?.runs?.['torch-cuda'];
    return (
      c && {
        webgpuDevice: w?.device ?? null,
        webgpuStepsPerSecond: w?.stepsPerSecond ?? null,
        webgpuSecondsPerStep: w?.secondsPerStep ?? null,
        kernelsPerStep: w?.kernelsPerStep ?? null,
        torchCudaDevice: t?.device ?? null,
        torchCudaStepsPerSecond: t?.stepsPerSecond ?? null,
        ratioToTorchCuda: c.ratioToTorchCuda ?? null,
        pairsPerStep: c.pairsPerStep,
        size: c.size,
      }
    );
  },
  // bench-kernels on webgpu: which formulation of each op is fastest on this GPU, and by how much.
  kernels: (name) => {
    const k = stepJson(name);
    if (!k) return undefined;
    const chosen = (ops: Json) =>
      Object.fromEntries(
        Object.entries(ops)
          .filter(([, v]) => v && typeof v === 'object' && 'chosen' in (v as Json))
          .map(([op, v]) => [op, { chosen: (v as Json).chosen, speedupOver: (v as Json).chosenSpeedupOver }]),
      );
    return {
      device: k.device ?? null,
      ops: Object.fromEntries(Object.entries(k.ops ?? {}).map(([c, ops]) => [c, chosen(ops as Json)])),
    };
  },
  torch: (name) => {
    const t = stepJson(name);
    return (
      t && {
        device: t.device,
        torchVersion: t.torchVersion,
        stepsPerSecond: round(t.stepsPerSecond),
        secondsPerStep: round(t.secondsPerStep),
        pairsPerStep: t.pairs,
        size: t.size,
        normalization: t.normalization,
      }
    );
  },
  gen: (name) => {
    const g = stepJson(name);
    const size = (s: Json | undefined) =>
      s && { pairsPerSecond: s.pairs_per_s, steadyPairsPerSecond: s.steady_pairs_per_s };
    return (
      g && {
        workers: g.workers,
        pairsPerSize: g.rooms * g.pairs_per_room,
        embeddedAssetsSeconds: g.embedded_assets_seconds,
        '256x256': size(g['256x256']),
        '640x480': size(g['640x480']),
      }
    );
  },
  render: (name) => {
    const r = stepJson(name);
    return r && { adapter: r.adapter?.description || r.adapter?.device, msPerFrame: r.msPerFrame };
  },
};

for (const [name, step] of Object.entries(steps)) {
  const kind = name.replace(/-(2d|3d)$/, '');
  // A failed step may still have figures (parity: which cases failed); a stopped one has none.
  if (step.status === 'skipped' || step.status === 'timeout' || !KEYS[kind]) continue;
  try {
    const figures = KEYS[kind](name);
    if (figures) Object.assign(step, figures);
    else if (step.status === 'ok') step.figures = 'none found in its output';
  } catch (e) {
    step.figures = `unreadable: ${e instanceof Error ? e.message : String(e)}`;
  }
}

// webgpu against PyTorch CUDA on the same GPU, per configuration: the figure the target names.
const ratios: Json = {};
for (const config of ['2d', '3d']) {
  const ratio = steps[`train-${config}`]?.ratioToTorchCuda;
  if (typeof ratio === 'number') ratios[config] = { webgpuOverTorchCuda: ratio, ...TARGET };
}

const environment = (read(join(out, 'logs', 'environment.txt')) ?? '').split('\n').filter(Boolean);
const summary = {
  finishedAt: new Date().toISOString(),
  seconds: values.elapsed ? Number(values.elapsed) : null,
  budgetSeconds: values.budget ? Number(values.budget) : null,
  // What bundle.sh wrote: Node version, build time, git commit (summarize.ts runs from the bundle).
  bundle: readJson(fileURLToPath(new URL('../../BUNDLE.json', import.meta.url))) ?? null,
  environment: environment.map((l) => l.replace(/^run: /, '')),
  target: 'webgpu training steps/s >= 1.0x PyTorch CUDA on the same GPU (first milestone 0.5x)',
  ratios,
  steps,
};
writeFileSync(join(out, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);

// --- the human summary ---
const figures = (s: Step): string => {
  const { status, seconds, note, ...rest } = s;
  const parts = Object.entries(rest)
    .filter(([, v]) => v !== null && v !== undefined)
    .map(([k, v]) => `${k} ${typeof v === 'object' ? JSON.stringify(v) : v}`);
  return [...parts, ...(note ? [note] : [])].join('; ');
};
console.log('\noxels device run: summary');
for (const [name, s] of Object.entries(steps)) {
  console.log(`  ${name.padEnd(9)} ${s.status.padEnd(8)} ${String(s.seconds).padStart(4)} s  ${figures(s)}`);
}
for (const [config, r] of Object.entries(ratios)) {
  console.log(
    `  ${config}: webgpu ${r.webgpuOverTorchCuda}x PyTorch CUDA's steps/s (milestone ${TARGET.firstMilestone}x, goal ${TARGET.goal}x)`,
  );
}
console.log(`  figures: ${out}/*.json, summary: ${out}/summary.json, logs: ${out}/logs/`);
const bad = Object.values(steps).some((s) => s.status === 'failed' || s.status === 'timeout');
process.exit(bad ? 1 : 0);
