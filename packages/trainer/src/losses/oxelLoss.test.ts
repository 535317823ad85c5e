import { createRng } from '@oxels/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/initBackend.ts';
import type { LossNorm } from '../constants.ts';
import { oxelLoss, oxelLossStacked } from './oxelLoss.ts';

/**
 * The hand-worked example: B = 2 pairs of 1x2-pixel images with C = 2 channels, N = 2 samples each.
 * Image 0 pairs pixel 0 with its match (positive) and pixel 1 with pixel 1 (negative); image 1 pairs
 * pixel 0 with pixel 1 (negative) and pixel 1 with pixel 0 (positive).
 */
const example = () => ({
  o1: tf.tensor4d([0, 0, 1, 0, 1, 1, 0, 0.5], [2, 1, 2, 2]),
  o2: tf.tensor4d([0, 0.4, 0.2, -0.6, 0.5, 0.6, -1, 0], [2, 1, 2, 2]),
  idx1: tf.tensor2d([0, 1, 0, 1], [2, 2], 'int32'),
  idx2: tf.tensor2d([0, 1, 1, 0], [2, 2], 'int32'),
  isPositive: tf.tensor2d([1, 0, 0, 1], [2, 2]),
});

// Worked by hand (see the test names): per sample d = dist / 2, l = (1 - pbar)/4 + d (2f - 1) + d^2,
// pbar = 1/2 in both images; between pair (0, 1): e = dist(o1[0, idx1[0, n]], o2[1, idx2[1, n]]) / 2.
const HAND: Record<LossNorm, { within: number; between: number }> = {
  // d = 0.2, 0.4 | 1, 0.25 -> l = 0.365, -0.115 | 0.125, 0.4375; e = 0.5, 0.3 -> (e - 1/2)^2 = 0, 0.04
  inf: { within: (0.125 + 0.28125) / 2, between: 0.02 },
  // d = 0.1, 0.35 | 0.75, 0.15 -> l = 0.235, -0.1025 | -0.0625, 0.2975; e = 0.25, 0.275
  l1: { within: (0.06625 + 0.1175) / 2, between: (0.0625 + 0.050625) / 2 },
  // d = 0.04, 0.25 | 1.25, 0.065 -> l = 0.1666, -0.0625 | 0.4375, 0.194225; e = 0.25, 0.1525
  l2: { within: (0.05205 + 0.3158625) / 2, between: (0.0625 + 0.12075625) / 2 },
};

function numbers(t: { loss: tf.Scalar; within: tf.Scalar; between: tf.Scalar }) {
  const out = {
    loss: t.loss.dataSync()[0],
    within: t.within.dataSync()[0],
    between: t.between.dataSync()[0],
  };
  tf.dispose([t.loss, t.within, t.between]);
  return out;
}

/** Seeded random batch with B images of h x w, C channels and N samples, 1/4 of them positive. */
function randomInputs(seed: number, b: number, h: number, w: number, c: number, n: number) {
  const rng = createRng(seed);
  const normal = (size: number) => Float32Array.from({ length: size }, () => rng.normal() * 0.5);
  const ints = (size: number) => Int32Array.from({ length: size }, () => rng.int(h * w));
  return {
    o1: tf.tensor4d(normal(b * h * w * c), [b, h, w, c]),
    o2: tf.tensor4d(normal(b * h * w * c), [b, h, w, c]),
    idx1: tf.tensor2d(ints(b * n), [b, n], 'int32'),
    idx2: tf.tensor2d(ints(b * n), [b, n], 'int32'),
    isPositive: tf.tensor2d(
      Float32Array.from({ length: b * n }, (_, i) => (i % 4 === 0 ? 1 : 0)),
      [b, n],
    ),
    mask1: tf.tensor3d(
      Float32Array.from({ length: b * h * w }, () => (rng.next() < 0.8 ? 1 : 0)),
      [b, h, w],
    ),
    mask2: tf.tensor3d(
      Float32Array.from({ length: b * h * w }, () => (rng.next() < 0.8 ? 1 : 0)),
      [b, h, w],
    ),
  };
}

describe('oxelLoss', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });

  for (const norm of ['inf', 'l1', 'l2'] as const) {
    it(`matches the hand-worked example with the ${norm} norm`, () => {
      const t = numbers(oxelLoss(example(), { norm, lambda: 0.3 }));
      expect(t.within).toBeCloseTo(HAND[norm].within, 5);
      expect(t.between).toBeCloseTo(HAND[norm].between, 5);
      expect(t.loss).toBeCloseTo(0.7 * HAND[norm].within + 0.3 * HAND[norm].between, 5);
    });
  }

  it('gives the same value on a stacked [2B, H, W, C] map as on separate views', () => {
    const e = example();
    const mask2 = tf.tensor3d([1, 0, 1, 1], [2, 1, 2]);
    const separate = numbers(oxelLoss({ ...e, mask2 }, { norm: 'l1' }));
    const stacked = numbers(oxelLossStacked(tf.concat([e.o1, e.o2], 0), { ...e, mask2 }, { norm: 'l1' }));
    expect(stacked).toEqual(separate);
    expect(() => oxelLossStacked(e.o1, e)).toThrow(/must be \[2B, H, W, C\] with B = 2/);
  });

  it('drops masked samples from both terms and recomputes pbar over the valid ones', () => {
    // Invalidate view-2 pixel 1 of image 0: image 0 keeps only its positive (pbar = 1, l = d + d^2
    // = 0.24); the between pair reads view 2 of image 1 only, so it is unchanged.
    const mask2 = tf.tensor3d([1, 0, 1, 1], [2, 1, 2]);
    const t = numbers(oxelLoss({ ...example(), mask2 }, { norm: 'inf', lambda: 0.5 }));
    expect(t.within).toBeCloseTo((0.24 + 0.28125) / 2, 5);
    expect(t.between).toBeCloseTo(0.02, 5);
  });

  it('gives 0 for lambda 0 of the between term and only the between term for lambda 1', () => {
    const a = numbers(oxelLoss(example(), { lambda: 0 }));
    const b = numbers(oxelLoss(example(), { lambda: 1 }));
    expect(a.loss).toBeCloseTo(HAND.inf.within, 6);
    expect(b.loss).toBeCloseTo(HAND.inf.between, 6);
  });

  for (const norm of ['inf', 'l1', 'l2'] as const) {
    it(`has gradients that match central finite differences in every coordinate (${norm}, seed 5)`, () => {
      const inputs = randomInputs(5, 3, 3, 3, 4, 6);
      const f = (o1: tf.Tensor, o2: tf.Tensor) =>
        oxelLoss({ ...inputs, o1: o1 as tf.Tensor4D, o2: o2 as tf.Tensor4D }, { norm, lambda: 0.5 }).loss;
      const [g1, g2] = tf.grads(f)([inputs.o1, inputs.o2]);
      const h = 1e-3;
      let nonZero = 0;
      let kinks = 0;
      for (const [which, base, grad] of [
        [0, inputs.o1, g1],
        [1, inputs.o2, g2],
      ] as const) {
        const values = base.dataSync();
        const analytic = grad.dataSync();
        // Every coordinate: most have a zero gradient (not sampled, or not the arg-max channel).
        for (let i = 0; i < values.length; i++) {
          const eval_ = (delta: number) => {
            const v = Float32Array.from(values);
            v[i] += delta;
            const moved = tf.tensor(v, base.shape);
            const args = which === 0 ? [moved, inputs.o2] : [inputs.o1, moved];
            const out = f(args[0], args[1]).dataSync()[0];
            moved.dispose();
            return out;
          };
          const [up, mid, down] = [eval_(h), eval_(0), eval_(-h)];
          // A max or |.| switching branch within +-h makes the one-sided slopes disagree: skip those.
          if (Math.abs((up - mid) / h - (mid - down) / h) > 2e-3) {
            kinks++;
            continue;
          }
          expect(Math.abs((up - down) / (2 * h) - analytic[i])).toBeLessThan(5e-4);
          if (Math.abs(analytic[i]) > 1e-3) nonZero++;
        }
      }
      expect(nonZero).toBeGreaterThan(10);
      expect(kinks).toBeLessThan(5);
    });
  }

  it('rejects mismatched shapes and non-int32 indices with a named message', () => {
    const e = example();
    expect(() => oxelLoss({ ...e, o2: tf.zeros([2, 1, 3, 2]) as tf.Tensor4D })).toThrow(
      /oxelLoss: o1 and o2/,
    );
    expect(() => oxelLoss({ ...e, idx1: tf.tensor2d([0, 1, 0, 1], [2, 2]) })).toThrow(/int32/);
    expect(() => oxelLoss(e, { lambda: 2 })).toThrow(/lambda must lie in \[0, 1\]/);
  });
});
