import { createRng } from '@oxels/core';
import * as tf from '@tensorflow/tfjs-core';
import { assert } from '../../errors.ts';
import { AdamW } from '../../optim/AdamW.ts';
import { oneCycleRate } from '../../optim/oneCycleRate.ts';
import { AttentionProbe, type AttentionProbeConfig } from './attentionProbe.ts';

/** Frozen descriptors of a set of images with their binary labels: what the probe trains and tests on. */
export interface ProbeData {
  count: number;
  /** P, pixels per image. */
  pixels: number;
  /** C, descriptor channels. */
  channels: number;
  /** [count, P, C] float32. */
  features: Float32Array;
  /** [count] uint8 labels, 0 or 1. */
  labels: Uint8Array;
}

/** Input standardisation of the probe (see `ProbeTrainOptions.standardize`). */
export type ProbeStandardization = 'none' | 'isotropic' | 'per-channel';

/** How the probe is trained. */
export interface ProbeTrainOptions {
  /** Passes over the training images. Default 4. */
  epochs: number;
  /** Images per step. Default 32. */
  batchSize: number;
  /** Peak learning rate of AdamW's one-cycle schedule. Default 3e-3. */
  lr: number;
  /** AdamW decoupled weight decay. Default 1e-4. */
  weightDecay: number;
  /** Seed of the initial weights and of the shuffling. Default 0. */
  seed: number;
  /**
   * How the descriptors are standardised with the training set's statistics before the probe reads them
   * (see `channelStatistics`): 'isotropic' (default) subtracts each channel's mean and divides all channels
   * by one common spread, which keeps the channels' relative scales, i.e. the geometry the backbone's
   * distance was trained in; 'per-channel' divides each channel by its own std, which also amplifies
   * channels the loss left faint; 'none' feeds the raw descriptors.
   */
  standardize: ProbeStandardization;
  /** Probe layout; inChannels and the input standardisation are taken from the data. */
  probe: Partial<Omit<AttentionProbeConfig, 'inChannels' | 'standardize'>>;
  /** Called after every epoch with its mean training loss and accuracy. */
  onEpoch?: (epoch: number, loss: number, accuracy: number) => void;
}

/** Defaults of `trainProbe`. */
export const DEFAULT_PROBE_TRAIN_OPTIONS: Readonly<ProbeTrainOptions> = Object.freeze({
  epochs: 4,
  batchSize: 32,
  lr: 3e-3,
  weightDecay: 1e-4,
  seed: 0,
  standardize: 'isotropic',
  probe: {},
});

/** Gathers images `indices` of `data` as a [n, P, C] tensor and their labels as [n] float32. */
function gather(data: ProbeData, indices: ArrayLike<number>): { x: tf.Tensor3D; y: tf.Tensor1D } {
  const per = data.pixels * data.channels;
  const x = new Float32Array(indices.length * per);
  const y = new Float32Array(indices.length);
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k];
    x.set(data.features.subarray(i * per, (i + 1) * per), k * per);
    y[k] = data.labels[i];
  }
  return { x: tf.tensor3d(x, [indices.length, data.pixels, data.channels]), y: tf.tensor1d(y) };
}

function assertData(data: ProbeData, fn: string): void {
  assert(
    data.count > 0 &&
      data.features.length === data.count * data.pixels * data.channels &&
      data.labels.length === data.count,
    'BAD_ARGUMENT',
    () =>
      `${fn}: ${data.features.length} feature values and ${data.labels.length} labels for ${data.count} ` +
      `images of ${data.pixels} pixels x ${data.channels} channels`,
  );
}

/**
 * Per-channel mean and spread of the descriptors over all images and pixels (float64 sums). 'per-channel'
 * gives each channel its own standard deviation; 'isotropic' gives every channel the root mean square of
 * the per-channel deviations, so that channels keep their relative scales. A zero spread becomes 1.
 * Descriptors trained with a max-abs distance sit in channels of very different offsets and spreads
 * (measured: means -1.3..1.5, stds 0.06..0.43); centring and scaling them lets the probe learn several
 * times faster.
 */
export function channelStatistics(
  data: ProbeData,
  mode: Exclude<ProbeStandardization, 'none'> = 'per-channel',
): { mean: number[]; std: number[] } {
  const c = data.channels;
  const sum = new Float64Array(c);
  const sq = new Float64Array(c);
  const f = data.features;
  for (let i = 0; i < f.length; i += c) {
    for (let k = 0; k < c; k++) {
      sum[k] += f[i + k];
      sq[k] += f[i + k] * f[i + k];
    }
  }
  const n = f.length / c;
  const mean = Array.from(sum, (s) => s / n);
  const variance = Array.from(sq, (s, k) => Math.max(0, s / n - mean[k] ** 2));
  const pooled = Math.sqrt(variance.reduce((a, b) => a + b, 0) / c);
  const std = mode === 'isotropic' ? variance.map(() => pooled) : variance.map(Math.sqrt);
  return { mean, std: std.map((s) => (s > 1e-8 ? s : 1)) };
}

/**
 * Trains an `AttentionProbe` on frozen descriptors, standardised with their training-set statistics
 * (`channelStatistics`, as `standardize` says), to predict the binary label (sigmoid cross-entropy on the image logit), with AdamW on a one-cycle schedule over shuffled mini-batches. Deterministic for a
 * seed on a given backend. The caller disposes the returned probe.
 */
export function trainProbe(data: ProbeData, options: Partial<ProbeTrainOptions> = {}): AttentionProbe {
  const o = { ...DEFAULT_PROBE_TRAIN_OPTIONS, ...options };
  assertData(data, 'trainProbe');
  assert(
    Number.isInteger(o.epochs) && o.epochs > 0 && Number.isInteger(o.batchSize) && o.batchSize > 0,
    'BAD_ARGUMENT',
    () => `trainProbe: epochs and batchSize must be positive integers (got ${o.epochs}, ${o.batchSize})`,
  );
  const probe = new AttentionProbe(
    {
      ...o.probe,
      inChannels: data.channels,
      standardize: o.standardize === 'none' ? null : channelStatistics(data, o.standardize),
    },
    o.seed,
  );
  const optimizer = new AdamW(probe.parameters, { weightDecay: o.weightDecay });
  const rng = createRng(o.seed + 1);
  const stepsPerEpoch = Math.ceil(data.count / o.batchSize);
  const total = o.epochs * stepsPerEpoch;
  const vars = [...probe.parameters.values()];
  const names = [...probe.parameters.keys()];
  try {
    for (let epoch = 0; epoch < o.epochs; epoch++) {
      const order = Array.from({ length: data.count }, (_, i) => i);
      for (let i = order.length - 1; i > 0; i--) {
        const j = rng.int(i + 1);
        [order[i], order[j]] = [order[j], order[i]];
      }
      let lossSum = 0;
      let correct = 0;
      for (let s = 0; s < stepsPerEpoch; s++) {
        const { x, y } = gather(data, order.slice(s * o.batchSize, (s + 1) * o.batchSize));
        optimizer.learningRate = oneCycleRate(epoch * stepsPerEpoch + s, total, { peakRate: o.lr });
        let hits: tf.Tensor | undefined;
        const { value, grads } = tf.variableGrads(() => {
          const z = probe.forward(x);
          hits = tf.keep(tf.sum(tf.cast(tf.equal(tf.greater(z, 0), tf.cast(y, 'bool')), 'float32')));
          // Sigmoid cross-entropy on logits: softplus(z) - y z.
          return tf.mean(tf.sub(tf.softplus(z), tf.mul(y, z))) as tf.Scalar;
        }, vars);
        tf.dispose(optimizer.applyGradients(new Map(names.map((n, k) => [n, grads[vars[k].name]]))));
        lossSum += value.dataSync()[0] * y.shape[0];
        correct += hits!.dataSync()[0];
        tf.dispose([x, y, value, hits!, ...Object.values(grads)]);
      }
      o.onEpoch?.(epoch + 1, lossSum / data.count, correct / data.count);
    }
  } finally {
    optimizer.dispose();
  }
  return probe;
}

/**
 * Fraction of the images whose predicted label (image logit > 0) equals their label, in [0, 1].
 * @param batchSize images per forward pass (memory: batchSize * P^2 attention weights)
 */
export function probeAccuracy(probe: AttentionProbe, data: ProbeData, batchSize = 64): number {
  assertData(data, 'probeAccuracy');
  let correct = 0;
  for (let start = 0; start < data.count; start += batchSize) {
    const indices = Array.from({ length: Math.min(batchSize, data.count - start) }, (_, k) => start + k);
    const { x, y } = gather(data, indices);
    const hits = tf.tidy(() =>
      tf.sum(tf.cast(tf.equal(tf.greater(probe.forward(x), 0), tf.cast(y, 'bool')), 'float32')),
    );
    correct += hits.dataSync()[0];
    tf.dispose([x, y, hits]);
  }
  return correct / data.count;
}
