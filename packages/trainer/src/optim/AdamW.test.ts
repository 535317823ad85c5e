import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/initBackend.ts';
import { AdamW } from './AdamW.ts';

describe.each(['flat', 'perParameter'] as const)('AdamW (%s moments)', (layout) => {
  beforeAll(async () => {
    await initBackend('cpu');
  });

  it('follows the AdamW recurrences with decoupled weight decay over two steps', () => {
    const w = tf.variable(tf.tensor1d([1, -2]));
    const opt = new AdamW(
      new Map([['w', w]]),
      { beta1: 0.9, beta2: 0.99, epsilon: 1e-8, weightDecay: 0.1 },
      layout,
    );
    opt.learningRate = 0.01;
    const gs = [
      [0.5, -1],
      [0.25, 2],
    ];
    // Reference in float64: w -= lr wd w; m, v moments; w -= lr mhat / (sqrt(vhat) + eps).
    const ref = [1, -2];
    const m = [0, 0];
    const v = [0, 0];
    for (let t = 1; t <= 2; t++) {
      const g = gs[t - 1];
      for (let i = 0; i < 2; i++) {
        ref[i] -= 0.01 * 0.1 * ref[i];
        m[i] = 0.9 * m[i] + 0.1 * g[i];
        v[i] = 0.99 * v[i] + 0.01 * g[i] * g[i];
        ref[i] -= (0.01 * (m[i] / (1 - 0.9 ** t))) / (Math.sqrt(v[i] / (1 - 0.99 ** t)) + 1e-8);
      }
      const grad = tf.tensor1d(g);
      opt.applyGradients(new Map([['w', grad]]));
      grad.dispose();
      const got = w.dataSync();
      expect(got[0]).toBeCloseTo(ref[0], 6);
      expect(got[1]).toBeCloseTo(ref[1], 6);
    }
    expect(opt.step).toBe(2);
    // The first step moves each weight by about lr (Adam's normalised step) plus the decay.
    expect(ref[0]).toBeLessThan(1 - 0.01);
  });

  it('round-trips its state and leaves parameters without a gradient alone', () => {
    const a = tf.variable(tf.tensor1d([1, 2]));
    const b = tf.variable(tf.tensor1d([3]));
    const opt = new AdamW(
      new Map([
        ['a', a],
        ['b', b],
      ]),
      {},
      layout,
    );
    opt.applyGradients(new Map([['a', tf.tensor1d([1, 1])]]));
    expect(Array.from(b.dataSync())).toEqual([3]);
    const state = opt.getState();
    expect(Array.from(state.m.get('b')!.data)).toEqual([0]);
    expect(Array.from(state.m.get('a')!.data)).toEqual([expect.closeTo(0.1, 7), expect.closeTo(0.1, 7)]);
    const other = new AdamW(
      new Map([
        ['a', tf.variable(tf.tensor1d([0, 0]))],
        ['b', tf.variable(tf.tensor1d([0]))],
      ]),
      {},
      layout,
    );
    other.setState(state);
    expect(other.getState().m.get('a')?.data).toEqual(state.m.get('a')?.data);
    expect(other.step).toBe(1);
    state.v.delete('b');
    expect(() => other.setState(state)).toThrow(/v\[b\] missing/);
  });

  it('clips to the global norm: gradients (3, 4) at maxNorm 1 step like (0.6, 0.8) unclipped', () => {
    const clipped = tf.variable(tf.tensor1d([1, 1]));
    const scaled = tf.variable(tf.tensor1d([1, 1]));
    const a = new AdamW(new Map([['w', clipped]]), { weightDecay: 0 }, layout);
    const b = new AdamW(new Map([['w', scaled]]), { weightDecay: 0 }, layout);
    for (const opt of [a, b]) opt.learningRate = 0.1;
    for (let t = 0; t < 2; t++) {
      const norm = a.applyGradients(new Map([['w', tf.tensor1d([3, 4])]]), { maxNorm: 1 });
      expect(norm.dataSync()[0]).toBeCloseTo(5, 5);
      b.applyGradients(new Map([['w', tf.tensor1d([0.6, 0.8])]]));
    }
    const [x, y] = [clipped.dataSync(), scaled.dataSync()];
    expect(x[0]).toBeCloseTo(y[0], 6);
    expect(x[1]).toBeCloseTo(y[1], 6);
    expect(x[0]).not.toBeCloseTo(1, 2);
  });

  it('computeUpdate shows the norm and whether the new weights are finite; discard writes nothing', async () => {
    const w = tf.variable(tf.tensor1d([1, -2]));
    const opt = new AdamW(new Map([['w', w]]), {}, layout);
    opt.learningRate = 0.01;
    const seen: number[][] = [];
    /** One update, looked at, then committed or discarded. */
    const step = async (grad: number[], commit: boolean) => {
      const g = tf.tensor1d(grad);
      const update = opt.computeUpdate(new Map([['w', g]]), 0);
      seen.push([(await update.norm.data())[0], (await update.weightsFinite.data())[0]]);
      if (commit) update.commit();
      else update.discard();
      tf.dispose([g, update.norm]);
    };
    await step([3, 4], true);
    const before = { w: Array.from(w.dataSync()), state: await opt.readState() };
    const tensors = tf.memory().numTensors;
    // A rate whose update overflows float32: the norm is finite, the weights it would write are not.
    opt.learningRate = 1e39;
    await step([3, 4], false);
    opt.learningRate = 0.01;
    await step([Number.NaN, 4], false);
    expect(tf.memory().numTensors).toBe(tensors);
    expect(seen).toEqual([
      [5, 1],
      [5, 0],
      [Number.NaN, 0],
    ]);
    expect(Array.from(w.dataSync())).toEqual(before.w);
    expect(opt.getState()).toEqual(before.state);
    expect(opt.step).toBe(1);
  });
});

it('AdamW state moves between the layouts (a wasm checkpoint resumes on tensorflow)', async () => {
  await initBackend('cpu');
  const params = () =>
    new Map<string, tf.Variable>([
      ['a', tf.variable(tf.tensor2d([1, 2, 3, 4], [2, 2]))],
      ['b', tf.variable(tf.tensor1d([5]))],
    ]);
  const perParameter = new AdamW(params(), {}, 'perParameter');
  perParameter.applyGradients(
    new Map([
      ['a', tf.ones([2, 2])],
      ['b', tf.tensor1d([-2])],
    ]),
  );
  const flat = new AdamW(params(), {}, 'flat');
  flat.setState(perParameter.getState());
  const [x, y] = [perParameter.getState(), await flat.readState()];
  expect(y.step).toBe(1);
  for (const name of ['a', 'b']) {
    expect(y.m.get(name)).toEqual(x.m.get(name));
    expect(y.v.get(name)).toEqual(x.v.get(name));
  }
});
