import { createRng } from '@oxels/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../backend/initBackend.ts';
import { channelStatistics, type ProbeData, probeAccuracy, trainProbe } from './trainProbe.ts';

beforeAll(async () => {
  await initBackend('wasm');
});

/**
 * A trivially separable task: noise descriptors whose channel 0 holds the label (at every pixel), with
 * the labels balanced.
 */
function toyData(count: number, seed: number): ProbeData {
  const pixels = 16;
  const channels = 8;
  const rng = createRng(seed);
  const labels = Uint8Array.from({ length: count }, (_, i) => i % 2);
  const features = new Float32Array(count * pixels * channels);
  for (let i = 0; i < count; i++) {
    for (let p = 0; p < pixels; p++) {
      const o = (i * pixels + p) * channels;
      for (let c = 0; c < channels; c++) features[o + c] = c === 0 ? labels[i] : rng.normal();
    }
  }
  return { count, pixels, channels, features, labels };
}

describe('channelStatistics', () => {
  it('gives per-channel mean and std over images and pixels, and std 1 for a constant channel', () => {
    // 2 images x 2 pixels x 2 channels: channel 0 = 1, 3, 5, 7; channel 1 constant 4.
    const data: ProbeData = {
      count: 2,
      pixels: 2,
      channels: 2,
      features: Float32Array.from([1, 4, 3, 4, 5, 4, 7, 4]),
      labels: Uint8Array.from([0, 1]),
    };
    const { mean, std } = channelStatistics(data);
    expect(mean).toEqual([4, 4]);
    expect(std[0]).toBeCloseTo(Math.sqrt(5), 12);
    expect(std[1]).toBe(1);
  });
});

describe('trainProbe', () => {
  it('learns descriptors whose channel 0 is the label to 100% on held-out images (seed 1)', () => {
    const epochs: number[] = [];
    const probe = trainProbe(toyData(128, 1), {
      epochs: 6,
      batchSize: 16,
      lr: 5e-3,
      seed: 1,
      onEpoch: (_, loss) => epochs.push(loss),
    });
    expect(probe.config.inChannels).toBe(8);
    expect(epochs.length).toBe(6);
    expect(epochs[5]).toBeLessThan(0.5 * epochs[0]);
    expect(probeAccuracy(probe, toyData(64, 2))).toBe(1);
    probe.dispose();
  });

  it('scores a probe that has not learnt near chance, and rejects inconsistent data', () => {
    const data = toyData(64, 3);
    const probe = trainProbe(data, { epochs: 1, lr: 1e-9 });
    const accuracy = probeAccuracy(probe, data);
    expect(accuracy).toBeGreaterThanOrEqual(0.25);
    expect(accuracy).toBeLessThanOrEqual(0.75);
    probe.dispose();
    expect(() => trainProbe({ ...data, labels: data.labels.slice(1) })).toThrow(/63 labels for 64 images/);
  });
});
