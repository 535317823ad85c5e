import { createRng, type Rng } from '@oxels/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/initBackend.ts';
import { disposeTrainBatch, toTrainBatch } from '../data/toTrainBatch.ts';
import { UNet } from '../model/UNet.ts';
import { AdamW } from '../optim/AdamW.ts';
import { cloveParameters, cloveStep, createCloveState, disposeCloveState } from './cloveStep.ts';
import type { TrainBatch } from './trainStep.ts';
import { createVaderState, disposeVaderState, vaderStep } from './vaderStep.ts';
import { TINY_UNET_CONFIG as TINY } from '../model/tinyUNetConfig.ts';

/**
 * B pairs of random smooth s x s images, view 2 = view 1 shifted cyclically by (2, 1); n samples per
 * pair, every other one a positive (its true partner), the rest a random pixel.
 */
function shiftedBatch(rng: Rng, b: number, s: number, n: number): TrainBatch {
  const v1 = new Float32Array(b * s * s * 3);
  // Blocky images (2 x 2 cells) so that the tiny net can tell pixels apart by their neighbourhood.
  for (let i = 0; i < b; i++) {
    for (let y = 0; y < s; y += 2) {
      for (let x = 0; x < s; x += 2) {
        const rgb = [rng.next(), rng.next(), rng.next()];
        for (const [dx, dy] of [
          [0, 0],
          [1, 0],
          [0, 1],
          [1, 1],
        ]) {
          for (let c = 0; c < 3; c++) v1[((i * s + y + dy) * s + x + dx) * 3 + c] = rgb[c];
        }
      }
    }
  }
  const v2 = new Float32Array(v1.length);
  const idx1 = new Int32Array(b * n);
  const idx2 = new Int32Array(b * n);
  const pos = new Uint8Array(b * n);
  const partner = (p: number) => ((Math.floor(p / s) + 1) % s) * s + (((p % s) + 2) % s);
  for (let i = 0; i < b; i++) {
    for (let p = 0; p < s * s; p++) {
      for (let c = 0; c < 3; c++) v2[(i * s * s + partner(p)) * 3 + c] = v1[(i * s * s + p) * 3 + c];
    }
    for (let k = 0; k < n; k++) {
      const p = rng.int(s * s);
      idx1[i * n + k] = p;
      pos[i * n + k] = k % 2 === 0 ? 1 : 0;
      idx2[i * n + k] = pos[i * n + k] ? partner(p) : rng.int(s * s);
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

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('objective steps', () => {
  beforeAll(async () => {
    await initBackend('wasm', { threads: 1 });
  });

  it('vaderStep: 30 steps lower the InfoNCE loss, tensors stay flat, the queue holds the newest keys (seed 5)', async () => {
    const rng = createRng(5);
    const student = new UNet(TINY, 5);
    const state = createVaderState(student, 64, 5);
    const opt = new AdamW(student.parameters);
    opt.learningRate = 3e-3;
    const losses: number[] = [];
    let before = 0;
    for (let step = 0; step < 30; step++) {
      if (step === 1) before = tf.memory().numTensors;
      const batch = shiftedBatch(rng, 2, 8, 32);
      losses.push(
        (await vaderStep(student, state, opt, batch, { matches: 8, momentum: 0.99, seed: step })).loss,
      );
      disposeTrainBatch(batch);
      if (step >= 1) expect(tf.memory().numTensors).toBe(before);
    }
    expect(mean(losses.slice(-5))).toBeLessThan(mean(losses.slice(0, 5)) - 0.2);
    // 16 keys enqueued per step, newest first: every row is a unit vector.
    const norms = tf.tidy(() => tf.sqrt(tf.sum(tf.square(state.queue), 1)).dataSync());
    for (const n of norms) expect(n).toBeCloseTo(1, 4);
    disposeVaderState(state);
    opt.dispose();
    student.dispose();
  });

  it('cloveStep: 60 steps lower the ranking loss and train the predictor, tensors stay flat (seed 6)', async () => {
    const rng = createRng(6);
    const student = new UNet(TINY, 6);
    const state = createCloveState(student, { heads: 2, attentionTemperature: 0.1 }, 6);
    const opt = new AdamW(cloveParameters(student, state));
    opt.learningRate = 3e-3;
    const losses: number[] = [];
    let before = 0;
    for (let step = 0; step < 60; step++) {
      if (step === 1) before = tf.memory().numTensors;
      const batch = shiftedBatch(rng, 2, 8, 32);
      losses.push(
        (await cloveStep(student, state, opt, batch, { matches: 8, momentum: 0.9, seed: step })).loss,
      );
      disposeTrainBatch(batch);
      if (step >= 1) expect(tf.memory().numTensors).toBe(before);
    }
    expect(mean(losses.slice(-10))).toBeLessThan(mean(losses.slice(0, 10)) - 0.05);
    const out = state.predictor.getWeights().get('predictor.out')!;
    expect(out.data.some((v) => v !== 0)).toBe(true);
    disposeCloveState(state);
    opt.dispose();
    student.dispose();
  });
});
