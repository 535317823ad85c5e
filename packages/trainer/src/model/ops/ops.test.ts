import { createRng } from '@oxels/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../backend/initBackend.ts';
import { setOpFormulations } from '../../backend/opFormulations.ts';
import { conv2dBias } from './conv2dBias.ts';
import { groupNorm, normSilu, normSiluParts } from './normSilu.ts';
import { sumRows } from './sumRows.ts';
import { upsample2x } from './upsample2x.ts';

/** Seeded N(0, 1) tensor. */
function randn(shape: number[], seed: number): tf.Tensor {
  const rng = createRng(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(
    Float32Array.from({ length: n }, () => rng.normal()),
    shape,
  );
}

function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  expect(a.shape).toEqual(b.shape);
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
}

/** Value and gradients of sum(f(x, ...) * weights) for every input, weights fixed random. */
function valueAndGrads(f: (...xs: tf.Tensor[]) => tf.Tensor, inputs: tf.Tensor[], seed: number) {
  return tf.tidy(() => {
    const out = f(...inputs);
    const weights = randn(out.shape, seed);
    const { value, grads } = tf.valueAndGrads((...xs: tf.Tensor[]) => tf.sum(tf.mul(f(...xs), weights)))(
      inputs,
    );
    return [out, value, ...grads];
  });
}

// The references are tfjs's own ops and automatic gradients, which the cpu backend has in full
// (Conv2DBackpropFilter included); the custom ops must agree with them on both backends.
const references = {
  conv: (x: tf.Tensor, w: tf.Tensor, b: tf.Tensor) =>
    tf.add(tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'same'), b),
  image: (x: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
    const y = groupNorm(x as tf.Tensor4D, g as tf.Tensor1D, b as tf.Tensor1D, 1e-5);
    return tf.mul(y, tf.sigmoid(y));
  },
  pixel: (x: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
    const { mean, variance } = tf.moments(x, 3, true);
    const y = tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-5))), g), b);
    return tf.mul(y, tf.sigmoid(y));
  },
};

describe.each(['cpu', 'wasm'] as const)('custom-gradient ops on %s', (backend) => {
  beforeAll(async () => {
    await initBackend('cpu');
  });

  for (const k of [1, 3]) {
    it(`conv2dBias with a ${k}x${k} kernel matches tf.conv2d + bias and its gradients (seed 1)`, async () => {
      const inputs = [randn([2, 6, 5, 3], 1), randn([k, k, 3, 4], 2), randn([4], 3)];
      const expected = valueAndGrads(references.conv, inputs, 4);
      await initBackend(backend, { threads: 1 });
      const actual = valueAndGrads(
        (x, w, b) => conv2dBias(x as tf.Tensor4D, w as tf.Tensor4D, b as tf.Tensor1D),
        inputs,
        4,
      );
      await initBackend('cpu');
      for (let i = 0; i < expected.length; i++) expect(maxAbsDiff(actual[i], expected[i])).toBeLessThan(2e-4);
    });
  }

  it.each(['forwardConvs', 'matMul'] as const)(
    'conv2dBias with %s gradients matches tf.conv2d + bias and its gradients (3x3, even sizes, seed 11)',
    async (convGradients) => {
      const inputs = [randn([3, 8, 6, 5], 11), randn([3, 3, 5, 7], 12), randn([7], 13)];
      const expected = valueAndGrads(references.conv, inputs, 14);
      await initBackend(backend, { threads: 1 });
      setOpFormulations({ convGradients });
      try {
        const actual = valueAndGrads(
          (x, w, b) => conv2dBias(x as tf.Tensor4D, w as tf.Tensor4D, b as tf.Tensor1D),
          inputs,
          14,
        );
        await initBackend('cpu');
        for (let i = 0; i < expected.length; i++)
          expect(maxAbsDiff(actual[i], expected[i])).toBeLessThan(2e-4);
      } finally {
        setOpFormulations({});
      }
    },
  );

  it('conv2dBias without input gradient returns zeros for x and the same filter gradient', async () => {
    const inputs = [randn([1, 4, 4, 2], 5), randn([3, 3, 2, 3], 6), randn([3], 7)];
    await initBackend(backend, { threads: 1 });
    const a = valueAndGrads(
      (x, w, b) => conv2dBias(x as tf.Tensor4D, w as tf.Tensor4D, b as tf.Tensor1D),
      inputs,
      8,
    );
    const z = valueAndGrads(
      (x, w, b) => conv2dBias(x as tf.Tensor4D, w as tf.Tensor4D, b as tf.Tensor1D, false),
      inputs,
      8,
    );
    expect(maxAbsDiff(z[2], tf.zerosLike(z[2]))).toBe(0);
    expect(maxAbsDiff(z[3], a[3])).toBe(0);
    await initBackend('cpu');
  });

  for (const over of ['image', 'pixel'] as const) {
    it(`normSilu over each ${over} matches the plain norm + SiLU and its gradients (seed 11)`, async () => {
      const inputs = [tf.add(tf.mul(randn([3, 4, 5, 6], 11), 2), 0.7), randn([6], 12), randn([6], 13)];
      const expected = valueAndGrads(references[over], inputs, 14);
      await initBackend(backend, { threads: 1 });
      const actual = valueAndGrads(
        (x, g, b) => normSilu(x as tf.Tensor4D, g as tf.Tensor1D, b as tf.Tensor1D, 1e-5, over),
        inputs,
        14,
      );
      await initBackend('cpu');
      for (let i = 0; i < expected.length; i++) expect(maxAbsDiff(actual[i], expected[i])).toBeLessThan(2e-4);
    });

    it(`normSiluParts over each ${over} equals normSilu of the channel concat, values and gradients (seed 15)`, async () => {
      const inputs = [
        randn([2, 3, 4, 3], 15),
        tf.add(randn([2, 3, 4, 2], 16), 1),
        randn([5], 17),
        randn([5], 18),
      ];
      const concat = (a: tf.Tensor, b: tf.Tensor, g: tf.Tensor, be: tf.Tensor) =>
        references[over](tf.concat([a, b], 3), g, be);
      const expected = valueAndGrads(concat, inputs, 19);
      await initBackend(backend, { threads: 1 });
      const parts = (a: tf.Tensor, b: tf.Tensor, g: tf.Tensor, be: tf.Tensor) => {
        const [ga, gb] = tf.split(g, [3, 2]) as tf.Tensor1D[];
        const [ba, bb] = tf.split(be, [3, 2]) as tf.Tensor1D[];
        const out = normSiluParts([a, b] as tf.Tensor4D[], [ga, gb], [ba, bb], 1e-5, over);
        return tf.concat(out, 3);
      };
      const actual = valueAndGrads(parts, inputs, 19);
      await initBackend('cpu');
      for (let i = 0; i < expected.length; i++) expect(maxAbsDiff(actual[i], expected[i])).toBeLessThan(2e-4);
    });
  }

  it('pixel normalisation keeps a pixel independent of the rest of the image; image normalisation does not', async () => {
    await initBackend(backend, { threads: 1 });
    const [g, b] = [randn([4], 23), randn([4], 24)];
    const x = randn([1, 3, 3, 4], 22);
    // The same image with every pixel but the centre changed.
    const keepCentre = tf.tensor4d(
      Array.from({ length: 36 }, (_, i) => (i >= 16 && i < 20 ? 0 : 1)),
      [1, 3, 3, 4],
    );
    const y = tf.add(x, tf.mul(keepCentre, 5));
    const centre = (t: tf.Tensor, over: 'image' | 'pixel') =>
      tf.slice(
        normSilu(t as tf.Tensor4D, g as tf.Tensor1D, b as tf.Tensor1D, 1e-5, over),
        [0, 1, 1, 0],
        [1, 1, 1, 4],
      );
    expect(maxAbsDiff(centre(x, 'pixel'), centre(y, 'pixel'))).toBeLessThan(1e-5);
    expect(maxAbsDiff(centre(x, 'image'), centre(y, 'image'))).toBeGreaterThan(0.05);
    await initBackend('cpu');
  });

  it('upsample2x repeats pixels 2x2 and its gradient sums each 2x2 block of every image', async () => {
    await initBackend(backend, { threads: 1 });
    const x = tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8], [2, 2, 2, 1]);
    expect(Array.from(upsample2x(x).dataSync()).slice(16, 24)).toEqual([5, 5, 6, 6, 5, 5, 6, 6]);
    const dy = tf.tensor4d(
      Array.from({ length: 32 }, (_, i) => i),
      [2, 4, 4, 1],
    );
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(upsample2x(t as tf.Tensor4D), dy)))(x);
    // Image 1's top-left block holds dy values 16, 17, 20, 21.
    expect(Array.from(g.dataSync())).toEqual([10, 18, 42, 50, 74, 82, 106, 114]);
    await initBackend('cpu');
  });

  it('sumRows sums every axis but the last', async () => {
    await initBackend(backend, { threads: 1 });
    const t = randn([3, 5, 7, 4], 21);
    expect(maxAbsDiff(sumRows(t), tf.sum(t, [0, 1, 2]))).toBeLessThan(1e-4);
    expect(maxAbsDiff(sumRows(tf.reshape(t, [105, 4])), tf.sum(t, [0, 1, 2]))).toBeLessThan(1e-4);
    await initBackend('cpu');
  });
});
