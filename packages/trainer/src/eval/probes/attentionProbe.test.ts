import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../backend/initBackend.ts';
import { AttentionProbe, attentionProbeShapes, DEFAULT_ATTENTION_PROBE_CONFIG } from './attentionProbe.ts';
import { linear } from './linear.ts';
import { pixelAttention } from './pixelAttention.ts';

beforeAll(async () => {
  await initBackend('cpu');
});

/** Max |a - b| over two same-sized arrays. */
const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) =>
  Array.from(a).reduce((m, x, i) => Math.max(m, Math.abs(x - b[i])), 0);

describe('AttentionProbe', () => {
  it('has 28,319 parameters on 32 channels: q, k, v with biases (3,168) and the MLP 32-150-100-50-1 (25,151)', () => {
    const probe = new AttentionProbe();
    expect(DEFAULT_ATTENTION_PROBE_CONFIG.hidden).toEqual([150, 100, 50]);
    expect(probe.parameterCount()).toBe(28_319);
    const sizes = Object.fromEntries(
      attentionProbeShapes(probe.config).map(([name, shape]) => [name, shape.reduce((a, b) => a * b, 1)]),
    );
    const attention = Object.entries(sizes).filter(([n]) => n.startsWith('attn.'));
    expect(attention.reduce((s, [, n]) => s + n, 0)).toBe(3 * (32 * 32 + 32));
    expect(sizes['mlp.3.weight']).toBe(50);
    probe.dispose();
  });

  it('gives the same logits for the same seed, and an image logit that is the mean of its pixel logits', () => {
    const x = tf.randomNormal([3, 10, 32], 0, 1, 'float32', 7) as tf.Tensor3D;
    const a = new AttentionProbe({}, 5);
    const b = new AttentionProbe({}, 5);
    const pixels = a.pixelLogits(x);
    expect(pixels.shape).toEqual([3, 10]);
    expect(maxDiff(a.forward(x).dataSync(), tf.mean(pixels, 1).dataSync())).toBeLessThan(1e-6);
    expect(maxDiff(a.forward(x).dataSync(), b.forward(x).dataSync())).toBe(0);
    // Attention is global: permuting the pixels permutes the pixel logits and keeps the image logit.
    const order = [9, 3, 0, 1, 8, 2, 7, 4, 6, 5];
    const permuted = a.pixelLogits(tf.gather(x, order, 1) as tf.Tensor3D);
    expect(maxDiff(permuted.dataSync(), tf.gather(pixels, order, 1).dataSync())).toBeLessThan(1e-5);
    tf.dispose([x, pixels, permuted]);
    a.dispose();
    b.dispose();
  });

  it('standardises its input with fixed statistics: the same logits as a plain probe on (x - mean) / std', () => {
    const x = tf.randomNormal([2, 5, 3], 1, 2, 'float32', 8) as tf.Tensor3D;
    const mean = [1, -0.5, 2];
    const std = [2, 0.5, 4];
    const plain = new AttentionProbe({ inChannels: 3, hidden: [4] }, 9);
    const standardised = new AttentionProbe({ inChannels: 3, hidden: [4], standardize: { mean, std } }, 9);
    expect(standardised.parameterCount()).toBe(plain.parameterCount());
    const z = tf.div(tf.sub(x, tf.tensor1d(mean)), tf.tensor1d(std)) as tf.Tensor3D;
    expect(maxDiff(standardised.forward(x).dataSync(), plain.forward(z).dataSync())).toBeLessThan(1e-5);
    expect(() => new AttentionProbe({ inChannels: 3, standardize: { mean, std: [1, 0, 1] } })).toThrow(
      /stds > 0/,
    );
    tf.dispose([x, z]);
    plain.dispose();
    standardised.dispose();
  });
});

describe('pixelAttention and linear', () => {
  it('match the textbook batched formulas in value and gradient (seed 3)', () => {
    const [q, k, v] = [1, 2, 3].map((s) => tf.randomNormal([2, 6, 4], 0, 1, 'float32', s) as tf.Tensor3D);
    const reference = (qq: tf.Tensor3D, kk: tf.Tensor3D, vv: tf.Tensor3D) =>
      tf.matMul(tf.softmax(tf.div(tf.matMul(qq, kk, false, true), 2)), vv);
    const weights = tf.randomNormal([2, 6, 4], 0, 1, 'float32', 4);
    const loss = (f: typeof reference) => (qq: tf.Tensor, kk: tf.Tensor, vv: tf.Tensor) =>
      tf.sum(tf.mul(f(qq as tf.Tensor3D, kk as tf.Tensor3D, vv as tf.Tensor3D), weights));
    expect(maxDiff(pixelAttention(q, k, v).dataSync(), reference(q, k, v).dataSync())).toBeLessThan(1e-5);
    const ours = tf.grads(loss(pixelAttention))([q, k, v]);
    const theirs = tf.grads(loss(reference))([q, k, v]);
    for (let i = 0; i < 3; i++) expect(maxDiff(ours[i].dataSync(), theirs[i].dataSync())).toBeLessThan(1e-5);

    const x = tf.randomNormal([5, 3], 0, 1, 'float32', 5) as tf.Tensor2D;
    const w = tf.randomNormal([3, 2], 0, 1, 'float32', 6) as tf.Tensor2D;
    const b = tf.tensor1d([0.5, -1]);
    const dense = (f: typeof linear) => (xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) =>
      tf.sum(tf.square(f(xx as tf.Tensor2D, ww as tf.Tensor2D, bb as tf.Tensor1D)));
    const textbook = (xx: tf.Tensor2D, ww: tf.Tensor2D, bb: tf.Tensor1D) =>
      tf.add(tf.matMul(xx, ww), bb) as tf.Tensor2D;
    const g1 = tf.grads(dense(linear))([x, w, b]);
    const g2 = tf.grads(dense(textbook))([x, w, b]);
    for (let i = 0; i < 3; i++) expect(maxDiff(g1[i].dataSync(), g2[i].dataSync())).toBeLessThan(1e-5);
  });

  it('rejects mismatched shapes', () => {
    const a = tf.zeros([2, 4, 3]) as tf.Tensor3D;
    expect(() => pixelAttention(a, a, tf.zeros([2, 5, 3]) as tf.Tensor3D)).toThrow(/share a shape/);
    expect(() =>
      linear(tf.zeros([4, 3]) as tf.Tensor2D, tf.zeros([2, 2]) as tf.Tensor2D, tf.zeros([2]) as tf.Tensor1D),
    ).toThrow(/expected \[N, in\]/);
  });
});
