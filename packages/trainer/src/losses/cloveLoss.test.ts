import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/initBackend.ts';
import { cloveLoss } from './cloveLoss.ts';

describe('cloveLoss', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });

  // Targets T = I (5 one-hot rows), so S = P T^T = P: row i of P holds prediction i's similarity to
  // every target, the diagonal its positive. topK = 3, margin 0.5: of the 4 off-diagonal entries of a
  // row, sorted decreasing, ranks 2 and 3 are averaged.
  //   row 0: pos 0.9, off 0.5 0.1 0.3 -0.2 -> ranks 2-3: 0.3, 0.1 -> neg 0.2   -> max(0, 0.5-0.9+0.2) = 0
  //   row 1: pos 0.2, off 0.4 0.6 -0.1 0   -> 0.4, 0         -> neg 0.2   -> 0.5
  //   row 2: pos 0.8, off 0 0.7 0.7 0.1    -> 0.7, 0.1       -> neg 0.4   -> 0.1
  //   row 3: pos 0.5, off -0.5 -0.3 0.2 0.4 -> 0.2, -0.3     -> neg -0.05 -> 0
  //   row 4: pos 1.0, off 0.3 x4           -> 0.3, 0.3       -> neg 0.3   -> 0
  // loss = 0.6 / 5 = 0.12, positive = 3.4 / 5 = 0.68, negative = 1.05 / 5 = 0.21.
  const P = [
    [0.9, 0.5, 0.1, 0.3, -0.2],
    [0.4, 0.2, 0.6, -0.1, 0.0],
    [0.0, 0.7, 0.8, 0.7, 0.1],
    [-0.5, -0.3, 0.2, 0.5, 0.4],
    [0.3, 0.3, 0.3, 0.3, 1.0],
  ];
  const predictions = () => tf.tensor2d(P);
  const targets = () => tf.eye(5) as tf.Tensor2D;

  it('ranks each positive above the mean of ranks 2..k of its negatives (hand-computed example)', () => {
    const t = cloveLoss(predictions(), targets(), { topK: 3, margin: 0.5 });
    expect(t.loss.dataSync()[0]).toBeCloseTo(0.12, 6);
    expect(t.positive.dataSync()[0]).toBeCloseTo(0.68, 6);
    expect(t.negative.dataSync()[0]).toBeCloseTo(0.21, 6);
  });

  it('passes gradient only through the positive and the selected negatives of active rows', () => {
    // Row 1 is active: dL/dP[1] = (1/5) (-T[1] + (T[0] + T[4]) / 2); row 0's hinge is 0: no gradient.
    const g = tf
      .grad((x: tf.Tensor) => cloveLoss(x as tf.Tensor2D, targets(), { topK: 3, margin: 0.5 }).loss)(
        predictions(),
      )
      .arraySync() as number[][];
    expect(g[1].map((v) => Number(v.toFixed(6)))).toEqual([0.1, -0.2, 0, 0, 0.1]);
    expect(g[0].every((v) => v === 0)).toBe(true);
  });

  it('uses k = M - 1 when there are fewer rows than topK + 1, and creates no lasting tensors', () => {
    const [p, t] = [predictions(), targets()];
    const before = tf.memory().numTensors;
    // k = 4: ranks 2..4 of row 1: 0.4, 0, -0.1 -> neg 0.1 -> hinge 0.4; row 2: 0.7, 0.1, 0 -> 0.2667 -> 0
    // (0.5 - 0.8 + 0.2667 < 0); row 0: (0.3 + 0.1 - 0.2) / 3 -> 0; row 3: (0.2 - 0.3 - 0.5) / 3 -> 0;
    // row 4: 0.3 -> 0.
    const terms = cloveLoss(p, t, { topK: 10, margin: 0.5 });
    expect(terms.loss.dataSync()[0]).toBeCloseTo(0.4 / 5, 6);
    tf.dispose([terms.loss, terms.positive, terms.negative]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects fewer than 3 rows', () => {
    expect(() => cloveLoss(tf.eye(2) as tf.Tensor2D, tf.eye(2) as tf.Tensor2D)).toThrow(/at least 3 rows/);
  });
});
