import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/initBackend.ts';
import { l2Normalize } from './l2Normalize.ts';
import { vaderLoss } from './vaderLoss.ts';

describe('vaderLoss', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });

  // 2 queries, 3 queued negatives, unit vectors in 2D, tau = 0.5:
  // q1 = (1, 0):  q.k = 1,   q.n = 0, -1, 0.6  -> logits 2 | 0, -2, 1.2
  // q2 = (0, 1):  q.k = 0.8, q.n = 1, 0, -0.8  -> logits 1.6 | 2, 0, -1.6
  // loss_i = log(sum exp(logits)) - positive logit:
  //   log(e^2 + e^0 + e^-2 + e^1.2) - 2 = 0.4718643
  //   log(e^1.6 + e^2 + e^0 + e^-1.6) - 1.6 = 1.0059425
  const q = () => tf.tensor2d([1, 0, 0, 1], [2, 2]);
  const k = () => tf.tensor2d([1, 0, 0.6, 0.8], [2, 2]);
  const queue = () => tf.tensor2d([0, 1, -1, 0, 0.6, -0.8], [3, 2]);

  it('is the mean softmax cross-entropy with the positive as label (hand-computed example)', () => {
    const t = vaderLoss(q(), k(), queue(), { temperature: 0.5 });
    expect(t.loss.dataSync()[0]).toBeCloseTo((0.4718643 + 1.0059425) / 2, 5);
    expect(t.positive.dataSync()[0]).toBeCloseTo(0.9, 6);
    expect(t.negative.dataSync()[0]).toBeCloseTo((0 - 1 + 0.6 + 1 + 0 - 0.8) / 6, 6);
  });

  it('has the gradient softmax - onehot of the logits, divided by tau (query 1 by hand)', () => {
    // dL/dq1 = (1/M) (1/tau) [ (p_pos - 1) k1 + sum_j p_j n_j ], p = softmax(2, 0, -2, 1.2).
    const z = [2, 0, -2, 1.2].map(Math.exp);
    const s = z.reduce((a, b) => a + b, 0);
    const p = z.map((v) => v / s);
    const expected = [
      (1 / 2 / 0.5) * ((p[0] - 1) * 1 + p[1] * 0 + p[2] * -1 + p[3] * 0.6),
      (1 / 2 / 0.5) * ((p[0] - 1) * 0 + p[1] * 1 + p[2] * 0 + p[3] * -0.8),
    ];
    const g = tf.grad((x: tf.Tensor) => vaderLoss(x as tf.Tensor2D, k(), queue(), { temperature: 0.5 }).loss)(
      q(),
    );
    const got = g.dataSync();
    expect(got[0]).toBeCloseTo(expected[0], 5);
    expect(got[1]).toBeCloseTo(expected[1], 5);
  });

  it('creates no lasting tensors', () => {
    const [a, b, c] = [q(), k(), queue()];
    const before = tf.memory().numTensors;
    const t = vaderLoss(a, b, c);
    tf.dispose([t.loss, t.positive, t.negative]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects keys of another shape', () => {
    expect(() => vaderLoss(q(), tf.zeros([3, 2]) as tf.Tensor2D, queue())).toThrow(/keys \[M, C\]/);
  });
});

describe('l2Normalize', () => {
  it('scales rows to unit length', () => {
    const y = l2Normalize(tf.tensor2d([3, 4, 0, -2], [2, 2])).dataSync();
    expect([...y].map((v) => Number(v.toFixed(6)))).toEqual([0.6, 0.8, 0, -1]);
  });
});
