// Benchmark of one training step of @oxels/trainer (U-Net forward + backward, oxel loss, clipping,
// AdamW) for the paper's 2D configuration (16 pairs = 32 images of 32x32 per step) and 3D
// configuration (8 pairs = 16 images of 128x128): on the native TensorFlow backend (tfjs-node, when
// installed) and on wasm, each with 1 thread and with one thread per core, as `pnpm train` runs it
// by default (backend auto; on wasm one data-parallel replica per core, `ReplicaPool`), and in the
// same run the same step in PyTorch on the CPU (scripts/bench_train_torch.py, the newest torch pip
// serves, in the project's venv from scripts/setup-python.sh) with 1 thread and one per core: the
// peer. Where the graph addon is built, also the tensorflow backend with the whole step as one
// graph (`train --graph`, tensorflow-graph-N). Reports seconds per step, each backend's ratio to
// PyTorch and tfjs kernels per step (1 for the graph: one session call).
// Every measurement runs in its own process (thread counts are fixed per process); runs of a
// configuration alternate between engines, so that load from other processes spreads over all of
// them. Prints one JSON object on stdout, progress on stderr.
// With --graph-ceiling: also the same step in TensorFlow's Python API over the same libtensorflow
// (scripts/bench_graph_step.py; tensorflow-cpu in the venv), op by op and as one graph per step, with
// one thread per core: what the whole-step-graph route could reach before it is built.
// With --gpu: webgpu on a hardware adapter (none: exit 3, saying so) against PyTorch on CUDA from the
// machine's python3 (scripts/device/run.sh; no CPU engines, no venv); --software-gpu accepts a CPU
// adapter (Mesa's llvmpipe) to check the path where there is no GPU.
//   npx tsx scripts/bench-train.ts [--configs 2d,3d] [--repeats 2] [--steps 3] [--cpu] [--quick]
//                                  [--graph-ceiling] [--gpu [--software-gpu]]
import { projectPython } from './projectPython.ts';
import { scriptArgs } from './scriptArgs.ts';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import {
  AdamW,
  type BackendName,
  canLoadTfGraph,
  createTrainObjective,
  DEFAULT_TRAIN_CONFIG,
  hwioToOihw,
  initBackend,
  graphOxelObjective,
  ReplicaPool,
  syntheticLossBatch,
  toTrainBatch,
  UNET_2D_CONFIG,
  UNET_3D_CONFIG,
  UNet,
  unetParameterCount,
} from '@oxels/trainer';

// Each with the normalization `pnpm train` uses for it: the paper's one group in 2D, per pixel in 3D.
const CONFIGS = {
  '2d': { model: UNET_2D_CONFIG, pairs: 16, size: 32 },
  '3d': {
    model: { ...UNET_3D_CONFIG, normalization: DEFAULT_TRAIN_CONFIG.normalization },
    pairs: 8,
    size: 128,
  },
} as const;
type ConfigName = keyof typeof CONFIGS;

/** One measurement request, run in a child process. */
interface Job {
  engine: 'tfjs' | 'torch' | 'tf-python';
  /** tfjs on tensorflow: the whole step as one graph (`train --graph`). */
  graph?: boolean;
  /** tf-python: op by op, one graph per step, or that graph compiled by XLA. */
  mode?: 'eager' | 'graph' | 'xla';
  backend?: BackendName;
  threads: number;
  /** Data-parallel replicas as `TrainRunOptions.replicas` (0 = one per core on wasm). */
  replicas?: number;
  /** torch: its device, `cpu` (default) or `cuda`. */
  device?: string;
  /** webgpu: accept a software adapter (checks the path; its timings mean nothing). */
  allowSoftwareGpu?: boolean;
  config: ConfigName;
  steps: number;
}

/** What a child reports. */
interface Measurement {
  backend: string;
  device?: string;
  threads: number;
  secondsPerStep: number[];
  /** CPU time of the whole process (all threads) per step: less sensitive to other load than wall time. */
  cpuSecondsPerStep: number[];
  parameterCount?: number;
  /** tfjs kernels one step runs on the main thread (`tf.profile`, an untimed extra step). */
  kernelsPerStep?: number;
}

/**
 * Child mode: one warm-up step, then `steps` timed training steps, through the oxel objective as
 * `runTraining` drives it (with a ReplicaPool when the job has replicas and the backend is wasm).
 */
async function measureTfjs(job: Job): Promise<Measurement> {
  const wantReplicas = job.replicas === 0 ? availableParallelism() : (job.replicas ?? 1);
  const info = await initBackend(job.backend ?? 'auto', {
    threads: job.threads,
    wasmThreads: wantReplicas > 1 ? 1 : job.threads,
    allowSoftwareGpu: job.allowSoftwareGpu ?? false,
  });
  const { model: config, pairs, size } = CONFIGS[job.config];
  const model = new UNet(config, 1);
  const pool =
    info.backend === 'wasm' && wantReplicas > 1
      ? await ReplicaPool.start(config, wantReplicas, 1)
      : undefined;
  const objective = job.graph
    ? graphOxelObjective(DEFAULT_TRAIN_CONFIG, model, job.threads)
    : createTrainObjective(DEFAULT_TRAIN_CONFIG, model, pool);
  const optimizer = new AdamW(model.parameters);
  optimizer.learningRate = 1e-3;
  const batch = syntheticLossBatch(pairs, size, 2);
  await objective.step(optimizer, batch, 0);
  const seconds: number[] = [];
  const cpuSeconds: number[] = [];
  for (let step = 1; step <= job.steps; step++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    await objective.step(optimizer, batch, step);
    const c = process.cpuUsage(c0);
    seconds.push((performance.now() - t0) / 1000);
    cpuSeconds.push((c.user + c.system) / 1e6);
  }
  // The graph's step is one session call, not tfjs kernels: nothing for tf.profile to count.
  const kernelsPerStep = job.graph
    ? 1
    : (await tf.profile(() => objective.step(optimizer, batch, job.steps + 1).then(() => tf.scalar(0))))
        .kernels.length;
  await pool?.close();
  return {
    backend: info.backend,
    device: pool?.device ?? info.device,
    threads: job.threads,
    secondsPerStep: seconds,
    cpuSecondsPerStep: cpuSeconds,
    kernelsPerStep,
  };
}

const SCRIPT = fileURLToPath(import.meta.url);
/** The project venv's python with torch (set up on first use); see `requireTorch`. */
let python = '';
const TORCH_SCRIPT = fileURLToPath(new URL('./bench_train_torch.py', import.meta.url));
const GRAPH_SCRIPT = fileURLToPath(new URL('./bench_graph_step.py', import.meta.url));

/** The PyTorch peer's arguments that pick the same network as `CONFIGS[config].model`. */
function torchModelArgs(config: ConfigName): string[] {
  return ['--config', config, '--normalization', CONFIGS[config].model.normalization];
}

/** Runs one job in a fresh process and parses its JSON line. */
function run(job: Job): Measurement {
  const { pairs, size } = CONFIGS[job.config];
  if (job.engine === 'tf-python') {
    const shape = ['--pairs', `${pairs}`, '--size', `${size}`, '--threads', `${job.threads}`];
    const out = execFileSync(
      python,
      [
        GRAPH_SCRIPT,
        ...torchModelArgs(job.config),
        '--mode',
        job.mode!,
        ...shape,
        '--steps',
        `${job.steps}`,
        '--warmup',
        '1',
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const r = JSON.parse(out.trim().split('\n').at(-1)!);
    return {
      backend: `tensorflow ${r.tensorflowVersion} (Python, ${job.mode})`,
      threads: r.threads,
      secondsPerStep: r.stepSeconds,
      cpuSecondsPerStep: r.stepCpuSeconds,
      parameterCount: r.parameterCount,
    };
  }
  if (job.engine === 'torch') {
    const out = execFileSync(
      python,
      [
        TORCH_SCRIPT,
        ...torchModelArgs(job.config),
        '--pairs',
        `${pairs}`,
        '--size',
        `${size}`,
        '--threads',
        `${job.threads}`,
        '--steps',
        `${job.steps}`,
        '--warmup',
        '1',
        '--device',
        job.device ?? 'cpu',
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const r = JSON.parse(out.trim().split('\n').at(-1)!);
    return {
      backend: `torch ${r.torchVersion}`,
      device: r.device,
      threads: r.threads,
      secondsPerStep: r.stepSeconds,
      cpuSecondsPerStep: r.stepCpuSeconds,
      parameterCount: r.parameterCount,
    };
  }
  const out = execFileSync(process.execPath, ['--import', 'tsx', SCRIPT, '--child', JSON.stringify(job)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return JSON.parse(out.trim().split('\n').at(-1)!);
}

/**
 * Checks that the PyTorch peer is the same network: exports a seeded tfjs model's weights in
 * PyTorch layout under the same state_dict keys, loads them strictly into the peer, and compares
 * the outputs of both on the same two images.
 */
async function torchParity(config: ConfigName): Promise<unknown> {
  await initBackend('wasm', { threads: 1 });
  const model = new UNet(CONFIGS[config].model, 3);
  const size = CONFIGS[config].size;
  const x = toTrainBatch(syntheticLossBatch(2, size, 4)).view1;
  const y = model.forward(x);
  const dir = mkdtempSync(join(tmpdir(), 'oxels-bench-train-'));
  try {
    const index: Record<string, { shape: number[]; offset: number }> = {};
    const parts: Float32Array[] = [];
    let offset = 0;
    for (const [name, w] of model.getWeights()) {
      const t = hwioToOihw(w);
      index[name] = { shape: t.shape, offset };
      parts.push(t.data);
      offset += t.data.length;
    }
    const bytes = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
    writeFileSync(join(dir, 'weights.bin'), Buffer.concat(parts.map(bytes)));
    writeFileSync(join(dir, 'index.json'), JSON.stringify(index));
    writeFileSync(join(dir, 'shapes.json'), JSON.stringify({ x: x.shape, y: y.shape }));
    writeFileSync(join(dir, 'x.bin'), bytes(x.dataSync() as Float32Array));
    writeFileSync(join(dir, 'y.bin'), bytes(y.dataSync() as Float32Array));
    const out = execFileSync(python, [TORCH_SCRIPT, ...torchModelArgs(config), '--parity', dir], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    return JSON.parse(out.trim().split('\n').at(-1)!);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    model.dispose();
  }
}

/** The peer is the point of the comparison: without PyTorch, say so before minutes of tfjs runs. */
function requireTorch(withTensorflow: boolean): void {
  python = projectPython(withTensorflow) ?? '';
  if (!python) {
    console.error(
      'bench-train: the PyTorch peer needs torch in the project venv, and scripts/setup-python.sh failed',
    );
    process.exit(1);
  }
}

/** Whether `backend` initialises here (a child process: it must not fix this one's backend). */
function canRun(backend: BackendName, allowSoftwareGpu = false): boolean {
  const options = JSON.stringify({ allowSoftwareGpu });
  const probe = `import('@oxels/trainer').then((t) => t.initBackend('${backend}', ${options})).then(() => process.exit(0), () => process.exit(1))`;
  try {
    execFileSync(process.execPath, ['--import', 'tsx', '-e', probe], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** The machine's python3 when it has torch with CUDA (a GPU machine has no venv and no package index). */
function cudaPython(): string {
  try {
    execFileSync('python3', ['-c', 'import torch; assert torch.cuda.is_available()'], { stdio: 'ignore' });
    return 'python3';
  } catch {
    return '';
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const round = (x: number, digits = 3) => Number(x.toPrecision(digits));

async function main(): Promise<void> {
  const values = scriptArgs(import.meta.filename, {
    child: { type: 'string' },
    configs: { type: 'string', default: '2d,3d' },
    repeats: { type: 'string', default: '2' },
    steps: { type: 'string', default: '3' },
    cpu: { type: 'boolean', default: false },
    quick: { type: 'boolean', default: false },
    gpu: { type: 'boolean', default: false },
    'software-gpu': { type: 'boolean', default: false },
    'graph-ceiling': { type: 'boolean', default: false },
  });
  if (values.child) {
    console.log(JSON.stringify(await measureTfjs(JSON.parse(values.child) as Job)));
    return;
  }
  const repeats = values.quick ? 1 : Number(values.repeats);
  const steps = values.quick ? 2 : Number(values.steps);
  if (values.gpu) {
    await benchGpu(values.configs.split(',') as ConfigName[], repeats, steps, values['software-gpu']);
    return;
  }
  requireTorch(values['graph-ceiling']);
  const tensorflow = canRun('tensorflow');
  if (!tensorflow)
    process.stderr.write('bench-train: no native TensorFlow backend here (scripts/setup-tensorflow.sh)\n');
  const graph = tensorflow && canLoadTfGraph();
  if (tensorflow && !graph)
    process.stderr.write('bench-train: no graph addon here (scripts/setup-tensorflow.sh builds it)\n');
  const cores = availableParallelism();
  const configs = values.configs.split(',') as ConfigName[];
  const result: Record<string, unknown> = {
    benchmark: 'bench-train',
    machine: {
      cpu: cpus()[0]?.model,
      cores,
      node: process.version,
      loadAverageAtStart: loadavg().map((x) => round(x)),
    },
    settings: { repeats, timedStepsPerRun: steps, warmupSteps: 1 },
  };
  const results: Record<string, unknown> = {};
  for (const config of configs) {
    const engines: Record<string, Omit<Job, 'config' | 'steps'>> = {
      ...(tensorflow && {
        'tensorflow-1': { engine: 'tfjs', backend: 'tensorflow', threads: 1 },
        [`tensorflow-${cores}`]: { engine: 'tfjs', backend: 'tensorflow', threads: cores },
      }),
      ...(graph && {
        'tensorflow-graph-1': { engine: 'tfjs', backend: 'tensorflow', threads: 1, graph: true },
        [`tensorflow-graph-${cores}`]: { engine: 'tfjs', backend: 'tensorflow', threads: cores, graph: true },
      }),
      'wasm-1': { engine: 'tfjs', backend: 'wasm', threads: 1 },
      [`wasm-${cores}`]: { engine: 'tfjs', backend: 'wasm', threads: cores },
      'torch-1': { engine: 'torch', threads: 1 },
      [`torch-${cores}`]: { engine: 'torch', threads: cores },
    };
    // What `pnpm train` runs by default: backend auto, and on wasm one replica per core.
    engines.default = { engine: 'tfjs', backend: 'auto', threads: 0, replicas: 0, graph };
    // The wasm fallback as `pnpm train` runs it where tensorflow is missing: one replica per core.
    if (tensorflow) engines['wasm-replicas'] = { engine: 'tfjs', backend: 'wasm', threads: 0, replicas: 0 };
    if (values.cpu) engines.cpu = { engine: 'tfjs', backend: 'cpu', threads: 1 };
    if (values['graph-ceiling']) {
      for (const mode of ['eager', 'graph', 'xla'] as const)
        engines[`tf-python-${mode}-${cores}`] = { engine: 'tf-python', mode, threads: cores };
    }
    const samples = measureEngines(engines, config, repeats, steps);
    const runs: Record<string, { secondsPerStep: number; stepsPerSecond: number }> = {};
    const report: Record<string, unknown> = {};
    for (const [name, list] of samples) {
      const all = list.flatMap((s) => s.m.secondsPerStep);
      const sec = median(all);
      runs[name] = { secondsPerStep: sec, stepsPerSecond: 1 / sec };
      report[name] = {
        backend: list[0].m.backend,
        device: list[0].m.device,
        threads: list[0].m.threads,
        secondsPerStep: round(sec),
        minSecondsPerStep: round(Math.min(...all)),
        stepsPerSecond: round(1 / sec),
        cpuSecondsPerStep: round(median(list.flatMap((s) => s.m.cpuSecondsPerStep))),
        ...(list[0].m.kernelsPerStep !== undefined && { kernelsPerStep: list[0].m.kernelsPerStep }),
        runMedians: list.map((s) => round(median(s.m.secondsPerStep))),
        loadAverageAfterRuns: list.map((s) => round(s.load)),
      };
    }
    const peer = runs[`torch-${cores}`];
    const ratio = runs.default.stepsPerSecond / peer.stepsPerSecond;
    // Each tfjs engine against PyTorch with the same thread count: the figure the milestones name.
    const ratios: Record<string, number> = {};
    for (const name of Object.keys(runs).filter((n) => !n.startsWith('torch'))) {
      const threads = name.endsWith('-1') ? 1 : cores;
      ratios[name] = round(runs[name].stepsPerSecond / runs[`torch-${threads}`].stepsPerSecond);
    }
    const cpuOf = (name: string) => median(samples.get(name)!.flatMap((s) => s.m.cpuSecondsPerStep));
    const { model, pairs, size } = CONFIGS[config];
    results[config] = {
      torchParity: await torchParity(config),
      normalization: model.normalization,
      parameterCount: unetParameterCount(model),
      torchParameterCount: samples.get('torch-1')![0].m.parameterCount,
      pairsPerStep: pairs,
      imagesPerStep: 2 * pairs,
      size,
      samplesPerImage: (size * size) / 8,
      runs: report,
      defaultBackend: report.default && (report.default as { backend: string }).backend,
      peer: `torch-${cores}`,
      peerRatio: round(ratio),
      ratiosToTorch: ratios,
      milestones: { first: 0.6, second: 0.8, goal: 1 },
      // CPU seconds per step, torch over tfjs, both on one thread: the efficiency ratio least
      // disturbed by other processes (they stretch wall time, not the CPU time a step needs).
      singleThreadCpuRatio: Object.fromEntries(
        ['tensorflow-1', 'tensorflow-graph-1', 'wasm-1']
          .filter((n) => runs[n])
          .map((n) => [n, round(cpuOf('torch-1') / cpuOf(n))]),
      ),
      // From 1 to all cores, per engine.
      threadScaling: Object.fromEntries(
        ['tensorflow', 'tensorflow-graph', 'wasm', 'torch']
          .filter((e) => runs[`${e}-1`])
          .map((e) => [e, round(runs[`${e}-${cores}`].stepsPerSecond / runs[`${e}-1`].stepsPerSecond)]),
      ),
    };
  }
  result.configs = results;
  result.loadAverageAtEnd = loadavg().map((x) => round(x));
  console.log(JSON.stringify(result, null, 2));
}

/** Runs each engine of `engines` `repeats` times on `config`, rotating their order, and reports per engine. */
function measureEngines(
  engines: Record<string, Omit<Job, 'config' | 'steps'>>,
  config: ConfigName,
  repeats: number,
  steps: number,
): Map<string, { m: Measurement; load: number }[]> {
  const samples = new Map<string, { m: Measurement; load: number }[]>();
  for (let r = 0; r < repeats; r++) {
    const names = Object.keys(engines);
    // Rotate the order each repeat so that no engine always runs first (or last).
    for (const name of [...names.slice(r % names.length), ...names.slice(0, r % names.length)]) {
      process.stderr.write(`bench-train: ${config} ${name} (repeat ${r + 1}/${repeats})\n`);
      const m = run({ ...engines[name], config, steps });
      samples.set(name, [...(samples.get(name) ?? []), { m, load: loadavg()[0] }]);
    }
  }
  return samples;
}

/** --gpu: webgpu on a hardware adapter against PyTorch CUDA, the figure issue 27's target names. */
async function benchGpu(
  configs: ConfigName[],
  repeats: number,
  steps: number,
  allowSoftwareGpu: boolean,
): Promise<void> {
  if (!canRun('webgpu', allowSoftwareGpu)) {
    console.error(
      'bench-train: no GPU adapter found (Dawn offers none, or only a software one): nothing to measure',
    );
    process.exit(3);
  }
  python = cudaPython();
  if (!python) process.stderr.write('bench-train: no python3 with CUDA torch here: webgpu alone\n');
  const results: Record<string, unknown> = {};
  for (const config of configs) {
    const engines: Record<string, Omit<Job, 'config' | 'steps'>> = {
      webgpu: { engine: 'tfjs', backend: 'webgpu', threads: 0, allowSoftwareGpu },
      ...(python && { 'torch-cuda': { engine: 'torch', threads: 0, device: 'cuda' } }),
    };
    const samples = measureEngines(engines, config, repeats, steps);
    const runs = Object.fromEntries(
      [...samples].map(([name, list]) => {
        const sec = median(list.flatMap((s) => s.m.secondsPerStep));
        return [
          name,
          {
            backend: list[0].m.backend,
            device: list[0].m.device,
            secondsPerStep: round(sec),
            stepsPerSecond: round(1 / sec),
            ...(list[0].m.kernelsPerStep !== undefined && { kernelsPerStep: list[0].m.kernelsPerStep }),
            runMedians: list.map((s) => round(median(s.m.secondsPerStep))),
          },
        ];
      }),
    );
    const { pairs, size } = CONFIGS[config];
    results[config] = {
      pairsPerStep: pairs,
      size,
      runs,
      ...(runs['torch-cuda'] && {
        ratioToTorchCuda: round(runs.webgpu.stepsPerSecond / runs['torch-cuda'].stepsPerSecond),
        milestones: { first: 0.5, goal: 1 },
      }),
    };
  }
  console.log(
    JSON.stringify({ benchmark: 'bench-train --gpu', node: process.version, configs: results }, null, 2),
  );
}

await main();
