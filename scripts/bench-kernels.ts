// Per-op benchmark of the formulations the trainer can use for its kernels (`OpFormulations`):
// each op of the U-Net step and the optimiser, forward and backward, timed in every formulation on
// one backend (default tensorflow) at the 2D and 3D configurations' largest shapes, with the
// kernels each one runs; then the whole training step with the backend's own choices against the
// portable (wasm) ones. Says which formulation the backend uses and how much faster it measured.
// Prints one JSON object on stdout.
//   npx tsx scripts/bench-kernels.ts [--backend tensorflow] [--threads 0] [--reps 10] [--software-gpu]
import { scriptArgs } from './scriptArgs.ts';
import { loadavg } from 'node:os';
import { createRng } from '@oxels/core';
import * as tf from '@tensorflow/tfjs-core';
import {
  AdamW,
  type BackendName,
  conv2dBias,
  DEFAULT_TRAIN_CONFIG,
  initBackend,
  lossAndGradients,
  normSilu,
  type OpFormulations,
  opFormulations,
  setOpFormulations,
  sumRows,
  syntheticLossBatch,
  toTrainBatch,
  UNET_2D_CONFIG,
  UNET_3D_CONFIG,
  UNet,
  type UNetConfig,
  upsample2x,
} from '@oxels/trainer';

const values = scriptArgs(import.meta.filename, {
  backend: { type: 'string', default: 'tensorflow' },
  'software-gpu': { type: 'boolean', default: false },
  threads: { type: 'string', default: '0' },
  reps: { type: 'string', default: '10' },
});
const info = await initBackend(values.backend as BackendName, {
  threads: Number(values.threads),
  allowSoftwareGpu: values['software-gpu'],
});
const reps = Number(values.reps);
const chosen = opFormulations();

/** The 2D and 3D configurations' largest activations, as `pnpm train` runs them. */
const SHAPES = {
  '2d': [32, 32, 32, 32],
  '3d': [16, 128, 128, 16],
} as const;
const MODELS: Record<keyof typeof SHAPES, { model: UNetConfig; pairs: number; size: number }> = {
  '2d': { model: UNET_2D_CONFIG, pairs: 16, size: 32 },
  '3d': {
    model: { ...UNET_3D_CONFIG, normalization: DEFAULT_TRAIN_CONFIG.normalization },
    pairs: 8,
    size: 128,
  },
};

interface Timing {
  ms: number;
  kernels: number;
}

/** Median milliseconds of `f` (which returns tensors to dispose) and the kernels one call runs. */
async function time(f: () => tf.Tensor[]): Promise<Timing> {
  tf.dispose(f());
  const profile = await tf.profile(() => f());
  tf.dispose(profile.result as tf.Tensor[]);
  const ms: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    const out = f();
    // data(), not dataSync(): webgpu reads only asynchronously in Node.
    await Promise.all(out.map((t) => t.data()));
    ms.push(performance.now() - t0);
    tf.dispose(out);
  }
  ms.sort((a, b) => a - b);
  return { ms: Number(ms[Math.floor(reps / 2)].toFixed(2)), kernels: profile.kernels.length };
}

/** Times `f` under each value of formulation `key`, and reports the one in force and its gain. */
async function compare<K extends keyof OpFormulations>(
  key: K,
  options: OpFormulations[K][],
  f: () => tf.Tensor[],
): Promise<Record<string, unknown>> {
  const results: Record<string, Timing> = {};
  for (const option of options) {
    setOpFormulations({ [key]: option });
    results[option as string] = await time(f);
  }
  setOpFormulations({});
  const own = results[chosen[key] as string].ms;
  return {
    ...results,
    chosen: chosen[key],
    chosenSpeedupOver: Object.fromEntries(
      options
        .filter((o) => o !== chosen[key])
        .map((o) => [o, Number((results[o as string].ms / own).toFixed(2))]),
    ),
  };
}

const rng = createRng(1);
const random = (shape: number[], scale = 1) =>
  tf.tensor(
    Float32Array.from({ length: shape.reduce((a, b) => a * b) }, () => (rng.next() - 0.5) * scale),
    shape,
  );
/** Forward and backward of `op` over `inputs`: the loss is a fixed random projection of its output. */
const fwdBwd = (op: (...xs: tf.Tensor[]) => tf.Tensor, inputs: tf.Tensor[], projection: tf.Tensor) => () =>
  tf.grads((...xs: tf.Tensor[]) => tf.sum(tf.mul(op(...xs), projection)))(inputs);

const ops: Record<string, unknown> = {};
for (const [name, shape] of Object.entries(SHAPES) as [keyof typeof SHAPES, readonly number[]][]) {
  const [b, h, w, c] = shape;
  const x = random([b, h, w, c]);
  const projection = random([b, h, w, c]);
  const filter = random([3, 3, c, c], 0.2);
  const bias = random([c]);
  const gamma = tf.add(random([c], 0.2), 1);
  const norm = MODELS[name].model.normalization;
  const small = random([b, h / 2, w / 2, c]);
  process.stderr.write(`bench-kernels: ${name} [${shape}]\n`);
  ops[name] = {
    shape,
    convGradients: await compare(
      'convGradients',
      // wasm has no Conv2DBackpropFilter.
      info.backend === 'wasm' ? ['forwardConvs', 'matMul'] : ['native', 'forwardConvs', 'matMul'],
      fwdBwd(
        (xi, fi, bi) => conv2dBias(xi as tf.Tensor4D, fi as tf.Tensor4D, bi as tf.Tensor1D),
        [x, filter, bias],
        projection,
      ),
    ),
    [`norm (${norm})`]: await compare(
      'norm',
      info.backend === 'tensorflow' ? ['fusedBatchNorm', 'elementwise'] : ['elementwise'],
      fwdBwd(
        (xi, gi, bi) => normSilu(xi as tf.Tensor4D, gi as tf.Tensor1D, bi as tf.Tensor1D, 1e-5, norm),
        [x, gamma, bias],
        projection,
      ),
    ),
    upsampleGradient: await compare(
      'upsampleGradient',
      ['native', 'avgPool'],
      fwdBwd((xi) => upsample2x(xi as tf.Tensor4D), [small], projection),
    ),
    channelSum: await compare('channelSum', ['sum', 'avgPool'], () => [sumRows(x)]),
  };
  tf.dispose([x, projection, filter, bias, gamma, small]);
}

/** One training step's forward and backward (both views, the oxel loss), then AdamW alone. */
const steps: Record<string, unknown> = {};
for (const [name, { model: config, pairs, size }] of Object.entries(MODELS)) {
  process.stderr.write(`bench-kernels: ${name} step\n`);
  const model = new UNet(config, 1);
  const batch = toTrainBatch(syntheticLossBatch(pairs, size, 2));
  const gradients = () => {
    const g = lossAndGradients(model, batch, { seed: 3 });
    return [g.loss, g.within, g.between, ...g.grads.values()];
  };
  const grads = new Map([...model.parameters].map(([k, v]) => [k, random(v.shape, 1e-3)]));
  const optimizers = {
    flat: new AdamW(model.parameters, {}, 'flat'),
    perParameter: new AdamW(model.parameters, {}, 'perParameter'),
  };
  const adamw: Record<string, Timing> = {};
  for (const [layout, optimizer] of Object.entries(optimizers)) {
    adamw[layout] = await time(() => [optimizer.applyGradients(grads, { maxNorm: 1 })]);
  }
  const portable = {
    convGradients: 'forwardConvs',
    norm: 'elementwise',
    upsampleGradient: 'avgPool',
    channelSum: 'avgPool',
    decoderInput: 'parts',
  } as const;
  const own = await time(gradients);
  setOpFormulations(portable);
  const wasmStyle = await time(gradients);
  setOpFormulations({});
  steps[name] = {
    forwardBackward: {
      [info.backend]: own,
      portable: wasmStyle,
      speedup: Number((wasmStyle.ms / own.ms).toFixed(2)),
    },
    decoderInput: await compare('decoderInput', ['concat', 'parts'], gradients),
    adamw: {
      ...adamw,
      chosen: chosen.adamw,
      chosenSpeedup: Number(
        (adamw[chosen.adamw === 'flat' ? 'perParameter' : 'flat'].ms / adamw[chosen.adamw].ms).toFixed(2),
      ),
    },
  };
  for (const o of Object.values(optimizers)) o.dispose();
  tf.dispose([...grads.values()]);
  model.dispose();
}

console.log(
  JSON.stringify(
    {
      benchmark: 'bench-kernels',
      backend: info.backend,
      device: info.device,
      repsPerTiming: reps,
      formulationsInForce: chosen,
      ops,
      steps,
      loadAverage: loadavg().map((l) => Number(l.toFixed(2))),
    },
    null,
    2,
  ),
);
