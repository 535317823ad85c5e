// Training end to end on a real generated dataset: the loss falls, stop + resume equals an
// uninterrupted run, memory stays flat, checkpoints load in PyTorch's format, the CLI fails clearly.
import { execFile, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DEFAULT_ASSET_CACHE_DIR, DEFAULT_GENERATE_CONFIG, generateDataset } from '@oxels/scene-gen';
import {
  checkpointSteps,
  DEFAULT_TRAIN_CONFIG,
  describeImages,
  initBackend,
  loadRun,
  runTraining,
  savedConfig,
  type StepMetrics,
  type TrainConfig,
} from '@oxels/trainer';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = new URL('../../../', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'oxels-train-'));
const data = join(tmp, 'data');
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

beforeAll(async () => {
  await generateDataset(
    { ...DEFAULT_GENERATE_CONFIG, rooms: 4, pairsPerRoom: 4, width: 64, height: 64, shardSize: 8, seed: 11 },
    { out: data, workers: 2, shardIndex: 0, numShards: 1, assetCache: DEFAULT_ASSET_CACHE_DIR },
  );
}, 180_000);

/** Small and quick: the paper's 2D U-Net on 32x32 crops of the 64x64 views. */
const config = (steps: number): TrainConfig => ({
  ...DEFAULT_TRAIN_CONFIG,
  source: { kind: 'shards', dir: data },
  model: '2d',
  steps,
  batchSize: 4,
  sampling: { ...DEFAULT_TRAIN_CONFIG.sampling, samples: 128, crop: [32, 32] },
  lr: 3e-3,
  checkpointEvery: 4,
  seed: 2,
});
const run = { backend: 'wasm' as const, threads: 0, replicas: 1, resume: false };
/** Whether the native backend is installed here (set-up installs it where it can). */
const tensorflow = await initBackend('tensorflow').then(
  () => true,
  () => false,
);
if (!tensorflow) console.warn('train.test: no tensorflow backend here; its resume test is skipped');
/** Whether Dawn offers any adapter here, a software one included (set-up installs Mesa's). */
const webgpu = await initBackend('webgpu', { allowSoftwareGpu: true }).then(
  () => true,
  () => false,
);
if (!webgpu)
  console.warn('train.test: no WebGPU adapter here, not even a software one; its webgpu test is skipped');
/** A run's RUN/metrics.jsonl, one object per step. */
const metricsOf = (dir: string): StepMetrics[] =>
  readFileSync(join(dir, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));

describe('runTraining', () => {
  it('lowers the loss over 30 steps, with flat tensor count and memory', async () => {
    const metrics: StepMetrics[] = [];
    const live: { tensors: number; bytes: number }[] = [];
    const summary = await runTraining(config(30), join(tmp, 'falls'), run, {
      onStep: (m) => {
        metrics.push(m);
        live.push({ tensors: tf.memory().numTensors, bytes: tf.memory().numBytes });
      },
    });
    expect(summary.step).toBe(30);
    const mean = (ms: StepMetrics[]) => ms.reduce((a, m) => a + m.loss, 0) / ms.length;
    expect(mean(metrics.slice(-6))).toBeLessThan(0.8 * mean(metrics.slice(0, 6)));
    // After the first step (optimizer moments exist), nothing accumulates.
    for (const l of live.slice(1)) expect(l).toEqual(live[1]);
    const lines = metricsOf(join(tmp, 'falls'));
    expect(lines.length).toBe(30);
    const png = readFileSync(join(tmp, 'falls', 'curves.png'));
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(Object.keys(lines[0])).toEqual(
      expect.arrayContaining(['step', 'loss', 'within', 'between', 'lr', 'stepsPerSecond', 'pairsPerSecond']),
    );
  }, 300_000);

  it('resumes a stopped run to the same weights and metrics as an uninterrupted one', async () => {
    const whole = join(tmp, 'whole');
    await runTraining(config(8), whole, run);
    const parted = join(tmp, 'parted');
    const first = await runTraining(config(8), parted, run, { shouldStop: () => true });
    expect(first).toMatchObject({ step: 1, stopped: true });
    const second = await runTraining(
      config(8),
      parted,
      { ...run, resume: true },
      { shouldStop: () => false },
    );
    expect(second).toMatchObject({ startStep: 1, step: 8, stopped: false });
    const weights = (dir: string) => readFileSync(join(dir, 'checkpoints', 'step-0000008', 'weights.bin'));
    expect(weights(parted).equals(weights(whole))).toBe(true);
    const losses = (dir: string) => metricsOf(dir).map((m) => m.loss);
    expect(losses(parted)).toEqual(losses(whole));
  }, 300_000);

  it.skipIf(!tensorflow)(
    'resumes bit for bit on the tensorflow backend too (the default where installed)',
    async () => {
      // Op by op: this process opens Dawn's software adapter, where the graph cannot run (trainGraph.test.ts).
      const on = { ...run, backend: 'tensorflow' as const, graph: false };
      const whole = join(tmp, 'tf-whole');
      const parted = join(tmp, 'tf-parted');
      await runTraining(config(6), whole, on);
      await runTraining(config(6), parted, on, { shouldStop: () => true });
      await runTraining(config(6), parted, { ...on, resume: true });
      const weights = (dir: string) => readFileSync(join(dir, 'checkpoints', 'step-0000006', 'weights.bin'));
      expect(weights(parted).equals(weights(whole))).toBe(true);
      expect(metricsOf(parted).map((m) => m.loss)).toEqual(metricsOf(whole).map((m) => m.loss));
    },
    300_000,
  );

  // The whole loop on webgpu (asynchronous reads, AdamW's checked update, checkpoints) on the software
  // adapter Dawn offers here (OpenGL ES on llvmpipe): the same run as on wasm, step for step.
  it.skipIf(!webgpu)(
    'trains on webgpu (software adapter) as on wasm: losses per step and final weights agree',
    async () => {
      const steps = 4;
      const onWasm = join(tmp, 'gpu-ref-wasm');
      const onGpu = join(tmp, 'gpu-webgpu');
      await runTraining(config(steps), onWasm, run);
      const summary = await runTraining(config(steps), onGpu, {
        ...run,
        backend: 'webgpu',
        allowSoftwareGpu: true,
      });
      expect(summary.backend.backend).toBe('webgpu');
      const [a, b] = [metricsOf(onGpu), metricsOf(onWasm)];
      expect(a.length).toBe(steps);
      for (let i = 0; i < steps; i++) {
        expect(Math.abs(a[i].loss - b[i].loss) / b[i].loss, `step ${i + 1}`).toBeLessThan(1e-3);
      }
      const weights = (dir: string) => {
        const bytes = readFileSync(join(dir, 'checkpoints', `step-000000${steps}`, 'weights.bin'));
        return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
      };
      const [x, y] = [weights(onGpu), weights(onWasm)];
      let diff = 0;
      let norm = 0;
      for (let i = 0; i < y.length; i++) {
        diff += (x[i] - y[i]) ** 2;
        norm += y[i] ** 2;
      }
      expect(Math.sqrt(diff / norm)).toBeLessThan(1e-3);
      await initBackend('wasm');
    },
    300_000,
  );

  it('keeps the last 3 checkpoints and every --keep-every milestone, and loads any kept one', async () => {
    const dir = join(tmp, 'milestones');
    await runTraining({ ...config(10), checkpointEvery: 2 }, dir, { ...run, keepEvery: 4 });
    expect(checkpointSteps(dir)).toEqual([4, 6, 8, 10]);
    const early = loadRun(dir, 4);
    const latest = loadRun(dir);
    try {
      expect([early.step, latest.step]).toEqual([4, 10]);
      const stem = (r: typeof early) => r.model.getWeights().get('stem.weight')?.data;
      expect(stem(early)).not.toEqual(stem(latest));
    } finally {
      early.model.dispose();
      latest.model.dispose();
    }
    expect(() => loadRun(dir, 2)).toThrow(/has no checkpoint at step 2 \(kept: 4, 6, 8, 10\)/);
    const none = join(tmp, 'no-milestones');
    await runTraining({ ...config(4), checkpointEvery: 1 }, none, { ...run, keepEvery: 0 });
    expect(checkpointSteps(none)).toEqual([2, 3, 4]);
  }, 300_000);

  it('follows its --lr-decay schedule, and reads a run saved before the flag as one-cycle', async () => {
    const dir = join(tmp, 'decay');
    await runTraining({ ...config(10), lrDecay: 0.5 }, dir, run);
    const rates = metricsOf(dir).map((m) => m.lr);
    // Warm-up round(0.05 * 10) = 1 step, the peak until step 5, then a cosine over the last 5 steps.
    expect(rates.slice(1, 6)).toEqual([3e-3, 3e-3, 3e-3, 3e-3, 3e-3]);
    for (let t = 6; t < 10; t++) expect(rates[t]).toBeLessThan(rates[t - 1]);
    expect(rates[9]).toBe(0);
    expect(savedConfig(dir)?.lrDecay).toBe(0.5);
    // A run that an older version wrote has no lrDecay: it was trained with the one-cycle.
    const older = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
    delete older.lrDecay;
    writeFileSync(join(dir, 'config.json'), JSON.stringify(older));
    expect(savedConfig(dir)?.lrDecay).toBe(1);
    await expect(runTraining({ ...config(10), lrDecay: 0 }, join(tmp, 'decay0'), run)).rejects.toThrow(
      /`lrDecay` must be in \(0, 1\] \(got 0\)/,
    );
  }, 300_000);

  it('lengthens a run resumed with more --steps before its decay, as if it had been started that long', async () => {
    // No warm-up at these lengths (round(0.05 * steps) = 0); the peak holds until step 3 of 6, 4 of 8.
    const wsd = (steps: number) => ({ ...config(steps), lrDecay: 0.5 });
    const whole = join(tmp, 'long');
    await runTraining(wsd(8), whole, run);
    const grown = join(tmp, 'grown');
    let steps = 0;
    await runTraining(wsd(6), grown, run, { shouldStop: () => ++steps === 2 });
    const second = await runTraining(wsd(8), grown, { ...run, resume: true });
    expect(second).toMatchObject({ startStep: 2, step: 8 });
    expect(savedConfig(grown)?.steps).toBe(8);
    const weights = (dir: string) => readFileSync(join(dir, 'checkpoints', 'step-0000008', 'weights.bin'));
    expect(weights(grown).equals(weights(whole))).toBe(true);
    expect(metricsOf(grown).map((m) => m.lr)).toEqual(metricsOf(whole).map((m) => m.lr));
    // Finished, the run has annealed: it can no longer take another length.
    await expect(runTraining(wsd(12), grown, { ...run, resume: true })).rejects.toThrow(
      /latest checkpoint \(step 8\) lies past step 4, where the learning rate of the 8-step schedule leaves its peak/,
    );
    expect(savedConfig(grown)?.steps).toBe(8);
  }, 300_000);

  it('trains on 2 data-parallel replicas, and a stopped replica run resumes to the same weights', async () => {
    const two = { ...run, replicas: 2 };
    const started: string[] = [];
    const whole = join(tmp, 'replicas-whole');
    const summary = await runTraining(config(6), whole, two, {
      onStart: ({ backend }) => started.push(backend.device),
    });
    expect(started[0]).toMatch(/2 data-parallel replicas/);
    expect(summary.lastMetrics?.loss).toBeGreaterThan(0);
    const parted = join(tmp, 'replicas-parted');
    await runTraining(config(6), parted, two, { shouldStop: () => true });
    await runTraining(config(6), parted, { ...two, resume: true });
    const weights = (dir: string) => readFileSync(join(dir, 'checkpoints', 'step-0000006', 'weights.bin'));
    expect(weights(parted).equals(weights(whole))).toBe(true);
    // The same steps as one thread, up to float rounding and the replicas' own dropout masks.
    const single = join(tmp, 'replicas-single');
    await runTraining(config(6), single, run);
    expect(metricsOf(whole)[0].loss).toBeCloseTo(metricsOf(single)[0].loss, 1);
  }, 300_000);

  it('writes safetensors that Python reads with PyTorch state_dict keys and layout', async () => {
    const dir = join(tmp, 'whole', 'checkpoints', 'step-0000008');
    const script = `
import json, struct, sys
import numpy as np
raw = open(sys.argv[1], 'rb').read()
n = struct.unpack('<Q', raw[:8])[0]
header = json.loads(raw[8:8 + n])
meta = header.pop('__metadata__')
stem = next(k for k in header if k.startswith('stem') or 'conv' in k)
t = header[stem]
a, b = t['data_offsets']
w = np.frombuffer(raw[8 + n + a:8 + n + b], dtype='<f4').reshape(t['shape'])
print(meta['format'], len(header), stem, json.dumps(list(w.shape), separators=(',', ':')), bool(np.isfinite(w).all()))`;
    const out = await promisify(execFile)('/usr/bin/python3', ['-c', script, join(dir, 'model.safetensors')]);
    const [format, count, name, shape, finite] = out.stdout.trim().split(' ');
    expect(format).toBe('pt');
    const manifest = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    expect(Number(count)).toBe(manifest.weightsManifest[0].weights.length);
    const spec = manifest.weightsManifest[0].weights.find((w: { name: string }) => w.name === name);
    // tfjs [kh, kw, Cin, Cout] becomes PyTorch [Cout, Cin, kh, kw].
    const [kh, kw, cin, cout] = spec.shape;
    expect(JSON.parse(shape)).toEqual([cout, cin, kh, kw]);
    expect(finite).toBe('True');
  }, 60_000);
});

describe('live training', () => {
  it('trains on pairs generated while it trains, without shards', async () => {
    const metrics: StepMetrics[] = [];
    const summary = await runTraining(
      {
        ...config(3),
        source: {
          kind: 'live',
          workers: 1,
          assetCache: DEFAULT_ASSET_CACHE_DIR,
          generate: { ...DEFAULT_GENERATE_CONFIG, rooms: 2, pairsPerRoom: 4, width: 48, height: 48, seed: 5 },
        },
      },
      join(tmp, 'live'),
      run,
      { onStep: (m) => metrics.push(m) },
    );
    expect(summary.step).toBe(3);
    expect(metrics.every((m) => Number.isFinite(m.loss) && m.loss > 0)).toBe(true);
  }, 180_000);
});

describe('train CLI', () => {
  const train = (args: string[]) =>
    promisify(execFile)('npx', ['tsx', 'packages/trainer/bin/train.ts', '--quiet', ...args], {
      cwd: root,
    }).then(
      () => ({ code: 0, stderr: '' }),
      (err: { code: number; stderr: string }) => err,
    );

  it('--backend tensorflow without the native backend says how to install it', async () => {
    const missing = await promisify(execFile)(
      'npx',
      ['tsx', 'packages/trainer/bin/train.ts', '--quiet', '--data', data, '--backend', 'tensorflow'],
      { cwd: root, env: { ...process.env, OXELS_NO_TENSORFLOW: '1' } },
    ).then(
      () => ({ code: 0, stderr: '' }),
      (err: { code: number; stderr: string }) => err,
    );
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(
      /train: error: initBackend: backend 'tensorflow': turned off by OXELS_NO_TENSORFLOW=1; install it with `bash scripts\/setup-tensorflow.sh`/,
    );
    expect(missing.stderr).not.toMatch(/\n\s+at /);
  });

  it('fails clearly on bad flags and bad data', async () => {
    const flag = await train(['--data', data, '--stepz', '3']);
    expect(flag.code).not.toBe(0);
    expect(flag.stderr).toMatch(/unknown option '--stepz'/);
    const norm = await train(['--data', data, '--norm', 'l3']);
    expect(norm.stderr).toMatch(/Allowed choices are inf, l1, l2/);
    const both = await train(['--data', data, '--live']);
    expect(both.stderr).toMatch(/either --data DIR \(shards\) or --live/);
    const empty = mkdtempSync(join(tmp, 'empty-'));
    const none = await train(['--data', empty, '--out', join(tmp, 'r-empty'), '--steps', '2']);
    expect(none.stderr).toMatch(/holds no shard-NNNNNN.tar/);
    const corrupt = mkdtempSync(join(tmp, 'corrupt-'));
    writeFileSync(join(corrupt, 'shard-000000.tar'), 'not a tar at all'.repeat(100));
    const bad = await train(['--data', corrupt, '--out', join(tmp, 'r-corrupt'), '--steps', '2']);
    expect(bad.stderr).toMatch(
      /corrupt-\w+ has no manifest.json, so it is not a complete gen-scenes dataset/,
    );
    expect(bad.code).toBe(1);
    const partial = await train(['--data', corrupt, '--out', join(tmp, 'r-corrupt'), '--allow-partial']);
    expect(partial.stderr).toMatch(/no usable shard in .*corrupt-\w+: shard-000000.tar \(unreadable: /);
    expect(existsSync(join(tmp, 'r-corrupt'))).toBe(false);
    const decay = await train(['--data', data, '--out', join(tmp, 'r-decay'), '--weight-decay=-5']);
    expect(decay.stderr).toMatch(/--weight-decay must be >= 0 \(got -5\)/);
    // Refused before anything is written: the folder holds no run a later try would trip over.
    expect(existsSync(join(tmp, 'r-decay', 'config.json'))).toBe(false);
    const radius = await train(['--data', data, '--local-radius', '5,2']);
    expect(radius.stderr).toMatch(/--local-radius must be MIN,MAX with MIN <= MAX \(got "5,2"\)/);
    const shift = await train(['--data', data, '--out', join(tmp, 'r-shift'), '--crop-shift=-3']);
    expect(shift.stderr).toMatch(/--crop-shift must be a number of pixels >= 0 or none \(got -3\)/);
    const hard = await train([
      '--data',
      data,
      '--out',
      join(tmp, 'r-hard'),
      '--hard-negatives',
      '0.6',
      '--local-negatives',
      '0.5',
    ]);
    expect(hard.stderr).toMatch(
      /--hard-negatives must be >= 0, with --local-negatives \+ --hard-negatives <= 1 \(got 0.6 and 0.5\)/,
    );
    const hard2d = await train([
      '--mode',
      '2d',
      '--dataset',
      'colored-mnist',
      '--out',
      join(tmp, 'r-hard2d'),
      '--hard-negatives',
      '0.5',
    ]);
    expect(hard2d.stderr).toMatch(
      /--hard-negatives needs the oxel objective on view pairs .*got oxel on colored-mnist/,
    );
    const vader = await train([
      '--data',
      data,
      '--objective',
      'vader',
      '--replicas',
      '2',
      '--out',
      join(tmp, 'r-v'),
    ]);
    expect(vader.stderr).toMatch(
      /--replicas 2 needs the oxel objective on the wasm backend \(got vader on auto\)/,
    );
    const negative = await train(['--data', data, '--replicas', '-1']);
    expect(negative.stderr).toMatch(/--replicas must be a non-negative integer/);
  }, 120_000);

  it('resumes a 2d run with the jitter it was trained with unless --jitter is given', async () => {
    const out = join(tmp, 'r-jitter');
    const flags = [
      '--mode',
      '2d',
      '--dataset',
      'colored-mnist',
      '--batch',
      '2',
      '--samples',
      '64',
      '--out',
      out,
    ];
    const first = await train([...flags, '--steps', '2', '--checkpoint-every', '1', '--jitter', 'hue=0.3']);
    expect(first).toEqual({ code: 0, stderr: '' });
    const saved = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'));
    // 2d mode keeps the paper's one-group norm by default (3d normalises per pixel).
    expect([saved.photometric.hue, saved.normalization, saved.lrDecay]).toEqual([0.3, 'image', 1]);
    // Without --steps, a resumed run keeps its own length (not the 2d default of 600).
    const resumed = await train([...flags, '--checkpoint-every', '1', '--resume']);
    expect(resumed).toEqual({ code: 0, stderr: '' });
    expect(JSON.parse(readFileSync(join(out, 'config.json'), 'utf8')).steps).toBe(2);
    const other = await train([
      ...flags,
      '--steps',
      '2',
      '--checkpoint-every',
      '1',
      '--resume',
      '--jitter',
      'hue=0.2',
    ]);
    expect(other.code).toBe(1);
    expect(other.stderr).toMatch(/the flags differ from the run's config.json in photometric/);
  }, 120_000);

  it('trains on whole views with --crop none', async () => {
    const out = join(tmp, 'r-nocrop');
    const run = await train(['--data', data, '--crop', 'none', '--steps', '1', '--batch', '1', '--out', out]);
    expect(run).toEqual({ code: 0, stderr: '' });
    const saved = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'));
    // Without crops there is no window to shift; 3d runs hold the peak rate until the last 20% of the steps.
    expect([saved.sampling.crop, saved.sampling.cropShift, saved.normalization, saved.lrDecay]).toEqual([
      null,
      null,
      'pixel',
      0.2,
    ]);
  }, 120_000);

  it('stops with a checkpoint on one Ctrl-C to its process group', async () => {
    const out = join(tmp, 'r-ctrl-c');
    const args = ['--data', data, '--model', '2d', '--crop', '32x32', '--batch', '2', '--samples', '64'];
    // Its own process group, as a terminal's foreground job: a signal to the group reaches every process.
    // As `pnpm train` runs it (package.json): node with tsx's loader, no tsx CLI in between, whose
    // signal relay kills a child that is busy for 60 ms.
    const entry = ['--import', 'tsx', 'packages/trainer/bin/train.ts'];
    const child = spawn(process.execPath, [...entry, ...args, '--out', out], {
      cwd: root,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    for (const stream of [child.stdout, child.stderr]) {
      stream.on('data', (d) => {
        output += d;
      });
    }
    // 'close': after the exit and the last of stderr.
    const exited = new Promise<number | null>((r) => child.once('close', r));
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        if (
          existsSync(join(out, 'metrics.jsonl')) &&
          readFileSync(join(out, 'metrics.jsonl'), 'utf8').includes('\n')
        ) {
          clearInterval(timer);
          process.kill(-child.pid!, 'SIGINT');
          resolve();
        }
      }, 100);
    });
    // 130: interrupted, as a shell reports Ctrl-C; the checkpoint is what matters.
    expect(await exited).toBe(130);
    expect(output).toMatch(/stopping after this step \(checkpoint\)/);
    const stopped = Number(/stopped at step (\d+)\//.exec(output)?.[1]);
    expect(stopped).toBeGreaterThanOrEqual(1);
    expect(JSON.parse(readFileSync(join(out, 'checkpoints', 'latest.json'), 'utf8')).step).toBe(stopped);
  }, 120_000);

  it('loads a --normalization pixel run as one, and a run saved before the flag existed as image', async () => {
    await initBackend('wasm');
    const out = join(tmp, 'r-pixel');
    const args = ['--data', data, '--model', '2d', '--crop', '32x32', '--batch', '1', '--samples', '64'];
    expect(await train([...args, '--steps', '1', '--normalization', 'pixel', '--out', out])).toEqual({
      code: 0,
      stderr: '',
    });
    const pixel = loadRun(out);
    expect([pixel.config.normalization, pixel.model.config.normalization]).toEqual(['pixel', 'pixel']);
    pixel.model.dispose();
    // The same run as an older version wrote it: no normalization key.
    const legacy = join(tmp, 'r-legacy');
    cpSync(out, legacy, { recursive: true });
    const { normalization, ...older } = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'));
    writeFileSync(join(legacy, 'config.json'), JSON.stringify(older));
    const image = loadRun(legacy);
    expect([normalization, image.model.config.normalization]).toEqual(['pixel', 'image']);
    image.model.dispose();
  }, 120_000);
});

describe('loadRun and describeImages', () => {
  it('restores the trained weights and describes images of any size', async () => {
    await initBackend('wasm');
    const loaded = loadRun(join(tmp, 'whole'));
    expect(loaded.step).toBe(8);
    const w = 37;
    const h = 29;
    const images = Float32Array.from({ length: 2 * h * w * 3 }, (_, i) => (i % 97) / 97);
    const d = describeImages(loaded.model, images, 2, h, w);
    expect(d.length).toBe(2 * h * w * 32);
    expect(d.every(Number.isFinite)).toBe(true);
    // The same image alone gives the same descriptors (no batch coupling at inference).
    const one = describeImages(loaded.model, images.subarray(0, h * w * 3), 1, h, w);
    for (let i = 0; i < one.length; i += 101) expect(one[i]).toBeCloseTo(d[i], 4);
    loaded.model.dispose();
    expect(() => loadRun(join(tmp, 'nothing-here'))).toThrow(/holds no training run/);
  }, 60_000);
});
