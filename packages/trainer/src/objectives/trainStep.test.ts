import { createRng, type Rng } from '@oxels/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/initBackend.ts';
import { disposeTrainBatch, toTrainBatch } from '../data/toTrainBatch.ts';
import { UNet } from '../model/UNet.ts';
import { AdamW } from '../optim/AdamW.ts';
import { oneCycleRate } from '../optim/oneCycleRate.ts';
import { lossAndGradients, type TrainBatch, trainStep } from './trainStep.ts';
import { TINY_UNET_CONFIG as TINY } from '../model/tinyUNetConfig.ts';

/**
 * B pairs of random s x s images where view 2 is view 1 shifted cyclically by (dx, dy) = (2, 1), so
 * view-1 pixel (x, y) matches view-2 pixel ((x + 2) mod s, (y + 1) mod s). n samples per image, every
 * 4th a positive, the rest paired with a uniformly random pixel.
 */
function shiftedBatch(rng: Rng, b: number, s: number, n: number): TrainBatch {
  const v1 = Float32Array.from({ length: b * s * s * 3 }, () => rng.next());
  const v2 = new Float32Array(v1.length);
  const idx1 = new Int32Array(b * n);
  const idx2 = new Int32Array(b * n);
  const pos = new Uint8Array(b * n);
  for (let i = 0; i < b; i++) {
    for (let y = 0; y < s; y++) {
      for (let x = 0; x < s; x++) {
        const src = ((i * s + y) * s + x) * 3;
        const dst = ((i * s + ((y + 1) % s)) * s + ((x + 2) % s)) * 3;
        for (let c = 0; c < 3; c++) v2[dst + c] = v1[src + c];
      }
    }
    for (let k = 0; k < n; k++) {
      const p = rng.int(s * s);
      const [x, y] = [p % s, Math.floor(p / s)];
      idx1[i * n + k] = p;
      pos[i * n + k] = k % 4 === 0 ? 1 : 0;
      idx2[i * n + k] = pos[i * n + k] ? ((y + 1) % s) * s + ((x + 2) % s) : rng.int(s * s);
    }
  }
  return toTrainBatch({
    batchSize: b,
    width: s,
    height: s,
    samples: n,
    view1: v1,
    view2: v2,
    idx1,
    idx2,
    isPositive: pos,
  });
}

describe('trainStep', () => {
  beforeAll(async () => {
    await initBackend('wasm', { threads: 1 });
  });

  it('leaves tf.memory().numTensors flat over 50 steps', async () => {
    const model = new UNet(TINY, 1);
    const opt = new AdamW(model.parameters);
    const batch = shiftedBatch(createRng(1), 2, 8, 16);
    await trainStep(model, opt, batch, { seed: 0 });
    const before = tf.memory().numTensors;
    for (let step = 1; step <= 50; step++) await trainStep(model, opt, batch, { seed: step });
    expect(tf.memory().numTensors).toBe(before);
    expect(opt.step).toBe(51);
  });

  it('gives the same loss and gradients on wasm and cpu (seed 2)', async () => {
    const run = async (backend: 'wasm' | 'cpu') => {
      await initBackend(backend, { threads: 1 });
      const model = new UNet(TINY, 2);
      const batch = shiftedBatch(createRng(3), 2, 8, 16);
      const r = lossAndGradients(model, batch, { loss: { norm: 'l1', lambda: 0.5 } });
      const out = {
        loss: r.loss.dataSync()[0],
        within: r.within.dataSync()[0],
        grads: new Map([...r.grads].map(([k, g]) => [k, g.dataSync() as Float32Array])),
      };
      model.dispose();
      return out;
    };
    const cpu = await run('cpu');
    const wasm = await run('wasm');
    expect(wasm.loss).toBeCloseTo(cpu.loss, 5);
    expect(wasm.within).toBeCloseTo(cpu.within, 5);
    let worst = 0;
    for (const [name, g] of cpu.grads) {
      const w = wasm.grads.get(name)!;
      const scale = Math.max(1e-3, ...g.map(Math.abs));
      for (let i = 0; i < g.length; i++) worst = Math.max(worst, Math.abs(w[i] - g[i]) / scale);
    }
    expect(worst).toBeLessThan(1e-3);
  });

  it('lowers the loss over 30 steps on shifted random images (seed 4)', async () => {
    const model = new UNet(TINY, 4);
    const opt = new AdamW(model.parameters, { weightDecay: 0 });
    const rng = createRng(4);
    const losses: number[] = [];
    for (let step = 0; step < 30; step++) {
      opt.learningRate = oneCycleRate(step, 30, { peakRate: 3e-3, warmupFraction: 0.1 });
      const batch = shiftedBatch(rng, 4, 16, 64);
      losses.push((await trainStep(model, opt, batch, { seed: step, loss: { lambda: 0.3 } })).loss);
      disposeTrainBatch(batch);
    }
    const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
    const first = mean(losses.slice(0, 5));
    const last = mean(losses.slice(-5));
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(last).toBeLessThan(first * 0.8);
  });
});
