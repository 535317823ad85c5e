import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { UNET_2D_CONFIG, UNET_3D_CONFIG, type UNetConfig } from '../constants.ts';
import type { LossBatch } from '../data/viewPairs/LossBatch.ts';
import { syntheticLossBatch } from '../data/viewPairs/syntheticLossBatch.ts';
import { UNet, type WeightArray } from '../model/UNet.ts';
import {
  cloveGradients,
  createCloveState,
  DEFAULT_CLOVE_OPTIONS,
  disposeCloveState,
} from '../objectives/cloveStep.ts';
import { disposeTrainBatch, toTrainBatch } from '../data/toTrainBatch.ts';
import { type LossAndGradients, lossAndGradients } from '../objectives/trainStep.ts';
import { createVaderState, disposeVaderState, vaderGradients } from '../objectives/vaderStep.ts';
import { initBackend } from './initBackend.ts';

// The native TensorFlow backend, and tfjs-webgpu, against wasm: the same weights and batch, forward
// and backward, must give the same loss and the same gradient for every parameter. They run
// different kernels (oneDNN's Conv2D / Conv2DBackpropInput / Conv2DBackpropFilter and TensorFlow's
// reductions; WGSL compute shaders with the split-K matrix-product filter gradient; against
// XNNPACK's forward convolutions, which the wasm gradients are written in) and so sum in different
// orders. In float32 (eps 6e-8) a sum of n terms drifts by about sqrt(n) * eps relative, n up to
// 128*128*16 = 2.6e5 per filter-gradient entry here: ~3e-5, compounded over the U-Net's 20-odd
// layers and the loss. Measured: at most 8e-5 per tensor; 1e-3 (the bound) still fails on
// any real defect (a wrong or missing gradient term gives errors of order 1e-1 to 1), and the
// measured worst case is printed.
//
// webgpu runs wherever Dawn offers an adapter: on machines without a GPU that is Dawn's OpenGL ES
// backend on Mesa's llvmpipe (scripts/setup.sh installs EGL and Mesa), accepted here with
// allowSoftwareGpu and never by `--backend auto`.
const TOLERANCE = 1e-3;

type Candidate = 'tensorflow' | 'webgpu';

/** Whether `backend` can run here, and why not. */
async function probe(backend: Candidate): Promise<{ ok: boolean; why: string }> {
  try {
    const info = await initBackend(backend, { threads: 1, allowSoftwareGpu: true });
    console.log(`backendParity: ${backend} on ${info.device}`);
    return { ok: true, why: '' };
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    console.warn(`backendParity: ${backend} skipped, it cannot run here: ${why}`);
    return { ok: false, why };
  }
}
const available = { tensorflow: await probe('tensorflow'), webgpu: await probe('webgpu') };
// scripts/test.sh names the backends its set-up installed: one of those that cannot run fails the
// suite instead of skipping.
for (const name of (process.env.OXELS_REQUIRE_BACKENDS ?? '').split(/\s+/).filter(Boolean)) {
  const probed = available[name as Candidate];
  if (probed && !probed.ok) {
    throw new Error(
      `backendParity: OXELS_REQUIRE_BACKENDS names ${name}, which cannot run here: ${probed.why}`,
    );
  }
}

/** Dropout off: each backend draws its own random masks (TensorFlow's RandomUniform is not tfjs's). */
const noDropout = (c: UNetConfig): UNetConfig => ({ ...c, dropout: c.dropout.map(() => 0) });

interface Result {
  loss: number;
  grads: Map<string, Float32Array>;
}

type Objective = 'oxel' | 'vader' | 'clove';

/** One objective's loss and parameter gradients on `backend`, from `weights` (shared by both runs). */
async function gradientsOn(
  backend: Candidate | 'wasm',
  objective: Objective,
  config: UNetConfig,
  weights: Map<string, WeightArray>,
  batch: LossBatch,
): Promise<Result> {
  await initBackend(backend, { threads: 1, allowSoftwareGpu: true });
  const student = new UNet(config, 1);
  student.setWeights(weights);
  const tensors = toTrainBatch(batch);
  let g: LossAndGradients;
  let dispose: () => void;
  if (objective === 'oxel') {
    g = lossAndGradients(student, tensors, { loss: { norm: 'inf', lambda: 0.3 }, seed: 5 });
    dispose = () => {};
  } else if (objective === 'vader') {
    const state = createVaderState(student, 256, 3);
    const r = vaderGradients(student, state, tensors, { seed: 5 });
    g = r.gradients;
    dispose = () => {
      r.keys.dispose();
      disposeVaderState(state);
    };
  } else {
    const state = createCloveState(student, DEFAULT_CLOVE_OPTIONS, 3);
    const r = cloveGradients(student, state, tensors, { seed: 5 });
    g = r.gradients;
    dispose = () => {
      r.targets.dispose();
      disposeCloveState(state);
    };
  }
  // Asynchronous reads: tfjs-webgpu reads synchronously only through an OffscreenCanvas, which Node lacks.
  const result = {
    loss: (await g.loss.data())[0],
    grads: new Map(
      await Promise.all(
        [...g.grads].map(async ([name, t]) => [name, (await t.data()).slice() as Float32Array] as const),
      ),
    ),
  };
  tf.dispose([g.loss, g.within, g.between, ...g.grads.values()]);
  dispose();
  disposeTrainBatch(tensors);
  student.dispose();
  return result;
}

const l2 = (a: Float32Array) => Math.sqrt(a.reduce((s, v) => s + v * v, 0));

/**
 * ||a - b|| / max(||b||, floor) (b: the wasm reference). Some gradients are 0 in exact arithmetic,
 * e.g. the head's bias under the oxel loss, which compares descriptors only by their differences (a
 * constant added to all of them changes nothing): there both backends return round-off, ~1e-9, and
 * the floor (1e-4 of the whole gradient's norm, far below what clipping and AdamW act on) keeps that
 * from counting as disagreement.
 */
function relativeL2(a: Float32Array, b: Float32Array, floor: number): number {
  let diff = 0;
  for (let i = 0; i < b.length; i++) diff += (a[i] - b[i]) ** 2;
  return Math.sqrt(diff) / Math.max(l2(b), floor);
}

const CASES: { name: string; objective: Objective; config: UNetConfig; pairs: number; size: number }[] = [
  { name: '2D U-Net, oxel loss', objective: 'oxel', config: UNET_2D_CONFIG, pairs: 4, size: 32 },
  {
    name: '3D U-Net (per-pixel norm), oxel loss',
    objective: 'oxel',
    config: { ...UNET_3D_CONFIG, normalization: 'pixel' },
    pairs: 2,
    size: 64,
  },
  {
    name: '3D U-Net (one-group norm), oxel loss',
    objective: 'oxel',
    config: UNET_3D_CONFIG,
    pairs: 2,
    size: 64,
  },
  { name: '2D U-Net, VADeR', objective: 'vader', config: UNET_2D_CONFIG, pairs: 4, size: 32 },
  { name: '2D U-Net, CLoVE', objective: 'clove', config: UNET_2D_CONFIG, pairs: 4, size: 32 },
];

describe.each(['tensorflow', 'webgpu'] as const)(
  '%s backend against wasm (same weights, same batch)',
  (candidate) => {
    afterAll(async () => {
      await initBackend('wasm', { threads: 1 });
    });

    it.skipIf(!available[candidate].ok).each(CASES)(
      '$name: loss and every parameter gradient agree',
      async ({ objective, config, pairs, size }) => {
        const model = noDropout(config);
        await initBackend('wasm', { threads: 1 });
        const seeded = new UNet(model, 7);
        const weights = seeded.getWeights();
        seeded.dispose();
        const batch = syntheticLossBatch(pairs, size, 11);
        const reference = await gradientsOn('wasm', objective, model, weights, batch);
        const got = await gradientsOn(candidate, objective, model, weights, batch);

        expect(got.loss).toBeGreaterThan(0);
        expect(Math.abs(got.loss - reference.loss) / Math.abs(reference.loss)).toBeLessThan(TOLERANCE);
        expect([...got.grads.keys()]).toEqual([...reference.grads.keys()]);
        const total = Math.hypot(...[...reference.grads.values()].map(l2));
        const floor = 1e-4 * total;
        const errors = [...reference.grads].map(([name, ref]) => ({
          name,
          error: relativeL2(got.grads.get(name)!, ref, floor),
        }));
        const worst = errors.reduce((a, b) => (b.error > a.error ? b : a));
        console.log(
          `backendParity ${candidate} ${objective} ${size}x${size}: loss ${got.loss} vs ${reference.loss}; ` +
            `worst gradient ${worst.name} relative L2 ${worst.error.toExponential(2)} over ${errors.length} tensors`,
        );
        // Almost every tensor carries real gradient, so the comparison is not between zeros. (CLoVE's
        // attention predictor gets none at its initialisation, on both backends.)
        const carrying = [...reference.grads.values()].filter((g) => l2(g) > floor).length;
        expect(carrying / reference.grads.size).toBeGreaterThan(0.95);
        for (const { name, error } of errors) expect(error, name).toBeLessThan(TOLERANCE);
      },
    );
  },
);
