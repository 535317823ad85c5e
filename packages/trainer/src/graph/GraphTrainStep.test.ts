// The whole-step graph against the eager trainer on the tensorflow backend: the same weights and
// batches, dropout off, three steps of the oxel loss, clipping and AdamW.
//
// Tolerances, from float32 rounding: the graph's kernels and summation orders are TensorFlow's own
// where the eager step uses the trainer's formulations (its custom gradients, fused norms), so the
// gradients differ by about 1e-5 relative, as between backends (backendParity.test.ts). Losses
// agree to 1e-5 relative; all weights together after 3 steps to 1e-4 relative L2 (measured
// 2-4e-5); each tensor to 1e-2 (measured at most 1.5e-3, a norm bias whose gradient is near
// round-off, so AdamW's normalised step amplifies it). The head's bias has a gradient of 0 in exact
// arithmetic (the loss sees differences of descriptors only): both sides step it by rounding, and it
// is left out.
import {
  AdamW,
  disposeTrainBatch,
  initBackend,
  syntheticLossBatch,
  toTrainBatch,
  trainStep,
  UNET_2D_CONFIG,
  UNET_3D_CONFIG,
  UNet,
} from '@oxels/trainer';
import { describe, expect, it } from 'vitest';
import type { LossNorm, UNetConfig } from '../constants.ts';
import { loadTfGraph } from './GraphBuilder.ts';
import { GraphTrainStep } from './GraphTrainStep.ts';

/** Whether the graph can run here (tensorflow backend and the addon), and why not. */
async function probe(): Promise<string> {
  try {
    await initBackend('tensorflow', { threads: 2 });
    loadTfGraph();
    return '';
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

const CASES = {
  '2d': { unet: { ...UNET_2D_CONFIG, dropout: [0, 0, 0] }, pairs: 4, size: 32, norm: 'l1', lambda: 0.5 },
  '3d': {
    unet: { ...UNET_3D_CONFIG, normalization: 'pixel', dropout: [0, 0, 0, 0, 0] },
    pairs: 2,
    size: 64,
    norm: 'inf',
    lambda: 0.3,
  },
} as const satisfies Record<
  string,
  { unet: UNetConfig; pairs: number; size: number; norm: LossNorm; lambda: number }
>;

function SPEC(name: keyof typeof CASES) {
  const c = CASES[name];
  return {
    unet: c.unet,
    batchSize: c.pairs,
    height: c.size,
    width: c.size,
    samples: (c.size * c.size) / 8,
    norm: c.norm,
    lambda: c.lambda,
    clipNorm: 1,
    beta1: 0.9,
    beta2: 0.99,
    epsilon: 1e-8,
    weightDecay: 1e-4,
    dropout: false,
    threads: 2,
  };
}

const why = await probe();
const required = (process.env.OXELS_REQUIRE_BACKENDS ?? '').split(/\s+/).includes('graph');
if (why && required)
  throw new Error(`GraphTrainStep: OXELS_REQUIRE_BACKENDS names graph, which cannot run here: ${why}`);
if (why) console.warn(`GraphTrainStep: skipped, the graph cannot run here: ${why}`);

const relativeL2 = (a: Float32Array, b: Float32Array) => {
  let d = 0;
  let n = 0;
  for (let i = 0; i < a.length; i++) {
    d += (a[i] - b[i]) ** 2;
    n += b[i] ** 2;
  }
  return Math.sqrt(d / Math.max(n, 1e-30));
};

describe.skipIf(Boolean(why))('GraphTrainStep', () => {
  for (const name of ['2d', '3d'] as const) {
    it(`${name}: three steps agree with the eager trainer`, async () => {
      const spec = SPEC(name);
      const model = new UNet(spec.unet, 7);
      const optimizer = new AdamW(model.parameters, { weightDecay: spec.weightDecay });
      const graph = new GraphTrainStep(spec, new Map([...model.parameters].map(([k, v]) => [k, v.shape])));
      graph.load({ weights: model.getWeights() });
      for (let step = 0; step < 3; step++) {
        const batch = syntheticLossBatch(spec.batchSize, spec.width, 40 + step);
        optimizer.learningRate = 1e-3;
        const tensors = toTrainBatch(batch);
        const eager = await trainStep(model, optimizer, tensors, {
          loss: { norm: spec.norm, lambda: spec.lambda },
          clipNorm: 1,
          seed: step,
        });
        disposeTrainBatch(tensors);
        const ours = graph.run(batch, 1e-3, step + 1, step);
        expect(ours.applied).toBe(true);
        expect(Math.abs(ours.loss - eager.loss)).toBeLessThan(1e-5 * eager.loss);
        expect(Math.abs(ours.gradNorm - eager.gradNorm)).toBeLessThan(1e-3 * eager.gradNorm);
      }
      const theirs = model.getWeights();
      const { weights, m, v } = graph.read();
      const compared = [...theirs.keys()].filter((k) => k !== 'head.conv.bias');
      const flat = (map: Map<string, { data: Float32Array }>) =>
        Float32Array.from(compared.flatMap((k) => Array.from(map.get(k)!.data)));
      expect(relativeL2(flat(weights), flat(theirs))).toBeLessThan(1e-4);
      for (const k of compared)
        expect(relativeL2(weights.get(k)!.data, theirs.get(k)!.data), k).toBeLessThan(1e-2);
      const state = await optimizer.readState();
      expect(state.step).toBe(3);
      expect(relativeL2(flat(m), flat(state.m))).toBeLessThan(1e-3);
      expect(relativeL2(flat(v), flat(state.v))).toBeLessThan(1e-3);
      model.dispose();
      optimizer.dispose();
    }, 120_000);
  }

  it('a step with a non-finite loss writes nothing', async () => {
    const spec = SPEC('2d');
    const model = new UNet(spec.unet, 3);
    const graph = new GraphTrainStep(spec, new Map([...model.parameters].map(([k, v]) => [k, v.shape])));
    const before = model.getWeights();
    graph.load({ weights: before });
    const batch = syntheticLossBatch(spec.batchSize, spec.width, 5);
    batch.view1[17] = Number.NaN;
    const r = graph.run(batch, 1e-3, 1, 0);
    expect(Number.isNaN(r.loss)).toBe(true);
    expect(r.applied).toBe(false);
    const after = graph.read();
    for (const [k, w] of before) expect(after.weights.get(k)!.data).toEqual(w.data);
    for (const x of after.m.values()) expect(x.data.every((y) => y === 0)).toBe(true);
    model.dispose();
  }, 60_000);
});
