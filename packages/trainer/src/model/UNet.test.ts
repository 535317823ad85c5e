import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/initBackend.ts';
import type { UNetConfig } from '../constants.ts';
import { UNet } from './UNet.ts';
import { unetParameterCount } from './unetParameters.ts';

/** Two stages, narrow: the real layout at a size a test can afford. */
const TINY: UNetConfig = {
  inChannels: 3,
  outChannels: 5,
  widths: [4, 8],
  blocks: [1, 1],
  dropout: [0, 0.5],
  attention: false,
  normalization: 'image',
  normEpsilon: 1e-5,
};

/**
 * The same network written plainly with tfjs ops and automatic gradients (channel concat, tf.conv2d,
 * moments-based group norm): the oracle for the custom-gradient, concat-free implementation.
 */
function referenceForward(model: UNet, x: tf.Tensor4D): tf.Tensor4D {
  const p = (name: string) => model.parameters.get(name) as unknown as tf.Tensor;
  const conv = (name: string, t: tf.Tensor4D) =>
    tf.add(tf.conv2d(t, p(`${name}.weight`) as tf.Tensor4D, 1, 'same'), p(`${name}.bias`)) as tf.Tensor4D;
  const normSilu = (name: string, t: tf.Tensor4D) => {
    const [b, h, w, c] = t.shape;
    const { mean, variance } = tf.moments(tf.reshape(t, [b, h * w * c]), 1, true);
    const xhat = tf.div(tf.sub(tf.reshape(t, [b, h * w * c]), mean), tf.sqrt(tf.add(variance, 1e-5)));
    const y = tf.add(tf.mul(tf.reshape(xhat, t.shape), p(`${name}.weight`)), p(`${name}.bias`));
    return tf.mul(y, tf.sigmoid(y)) as tf.Tensor4D;
  };
  const block = (name: string, t: tf.Tensor4D) => {
    const h = conv(
      `${name}.conv2`,
      normSilu(`${name}.norm2`, conv(`${name}.conv1`, normSilu(`${name}.norm1`, t))),
    );
    return tf.add(
      model.parameters.has(`${name}.skip.weight`) ? conv(`${name}.skip`, t) : t,
      h,
    ) as tf.Tensor4D;
  };
  let h = conv('stem', x);
  h = block('encoder.0.blocks.0', h);
  const skip0 = h;
  h = conv('encoder.0.down', tf.avgPool(h, 2, 2, 'valid'));
  h = block('encoder.1.blocks.0', h);
  const skip1 = h;
  h = block('mid.block', h);
  h = block('decoder.1.blocks.0', tf.concat([h, skip1], 3));
  h = block('decoder.1.blocks.1', h);
  h = conv('decoder.1.up', h);
  h = tf.image.resizeNearestNeighbor(h, [h.shape[1] * 2, h.shape[2] * 2]);
  h = block('decoder.0.blocks.0', tf.concat([h, skip0], 3));
  h = block('decoder.0.blocks.1', h);
  return conv('head.conv', normSilu('head.norm', h));
}

function image(seed: number): tf.Tensor4D {
  return tf.tidy(() => tf.randomUniform([2, 8, 8, 3], 0, 1, 'float32', seed) as tf.Tensor4D);
}

describe('UNet', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });

  it('maps [B, H, W, inChannels] to [B, H, W, outChannels] and has the counted parameters', () => {
    const model = new UNet(TINY, 1);
    const out = model.forward(image(1));
    expect(out.shape).toEqual([2, 8, 8, 5]);
    expect(model.parameterCount()).toBe(unetParameterCount(TINY));
    out.dispose();
    model.dispose();
  });

  it('equals a plain-ops reference in value and parameter gradients (seed 9)', () => {
    const model = new UNet(TINY, 9);
    // One image: tfjs-backend-cpu's ResizeNearestNeighborGrad, used by the reference, is wrong for more.
    const x = tf.slice(image(4), 0, 1) as tf.Tensor4D;
    const vars = [...model.parameters.values()];
    const weights = tf.randomNormal([1, 8, 8, 5], 0, 1, 'float32', 5);
    const run = (f: (t: tf.Tensor4D) => tf.Tensor4D) =>
      tf.variableGrads(() => tf.sum(tf.mul(f(x), weights)) as tf.Scalar, vars);
    const ours = run((t) => model.forward(t));
    const ref = run((t) => referenceForward(model, t));
    expect(ours.value.dataSync()[0]).toBeCloseTo(ref.value.dataSync()[0], 3);
    for (const v of vars) {
      const diff = tf.max(tf.abs(tf.sub(ours.grads[v.name], ref.grads[v.name]))).dataSync()[0];
      const scale = tf.max(tf.abs(ref.grads[v.name])).dataSync()[0];
      expect(diff).toBeLessThan(1e-4 + 1e-3 * scale);
    }
  });

  it('runs with bottleneck attention', () => {
    const model = new UNet({ ...TINY, attention: true }, 1);
    const out = model.forward(image(1));
    expect(out.shape).toEqual([2, 8, 8, 5]);
    expect(Number.isFinite(tf.sum(out).dataSync()[0])).toBe(true);
    model.dispose();
  });

  it('initialises from its seed: same seed same weights, other seed other weights', () => {
    const a = new UNet(TINY, 7).getWeights();
    const b = new UNet(TINY, 7).getWeights();
    const c = new UNet(TINY, 8).getWeights();
    expect(b.get('encoder.0.blocks.0.conv1.weight')?.data).toEqual(
      a.get('encoder.0.blocks.0.conv1.weight')?.data,
    );
    expect(c.get('encoder.0.blocks.0.conv1.weight')?.data).not.toEqual(
      a.get('encoder.0.blocks.0.conv1.weight')?.data,
    );
    // He-normal kernels: std sqrt(2 / fanIn) = sqrt(2 / 36) for 3x3 over 4 channels.
    const w = a.get('encoder.0.blocks.0.conv1.weight')!.data;
    const std = Math.sqrt(w.reduce((s, v) => s + v * v, 0) / w.length);
    expect(std).toBeGreaterThan(0.17);
    expect(std).toBeLessThan(0.31);
    expect(a.get('encoder.0.blocks.0.norm1.weight')?.data.every((v) => v === 1)).toBe(true);
  });

  it('round-trips its weights through getWeights / setWeights', () => {
    const source = new UNet(TINY, 3);
    const target = new UNet(TINY, 4);
    const x = image(2);
    target.setWeights(source.getWeights());
    const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(source.forward(x), target.forward(x)))).dataSync()[0]);
    expect(diff).toBe(0);
    const wrong = source.getWeights();
    wrong.delete('head.conv.bias');
    expect(() => target.setWeights(wrong)).toThrow(/missing \[head.conv.bias\]/);
  });

  it('applies dropout only in training, seeded', () => {
    const model = new UNet(TINY, 5);
    const x = image(3);
    const run = (options: { training: boolean; seed: number }) =>
      tf.tidy(() => Array.from(model.forward(x, options).dataSync()));
    expect(run({ training: false, seed: 1 })).toEqual(run({ training: false, seed: 2 }));
    expect(run({ training: true, seed: 1 })).toEqual(run({ training: true, seed: 1 }));
    expect(run({ training: true, seed: 1 })).not.toEqual(run({ training: true, seed: 2 }));
  });

  it('rejects inputs of the wrong channel count or size', () => {
    const model = new UNet(TINY, 1);
    expect(() => model.forward(tf.zeros([1, 8, 8, 1]) as tf.Tensor4D)).toThrow(/must be \[B, H, W, 3\]/);
    expect(() => model.forward(tf.zeros([1, 7, 8, 3]) as tf.Tensor4D)).toThrow(/multiples of 2/);
  });
});
