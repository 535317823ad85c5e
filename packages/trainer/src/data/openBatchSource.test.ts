import { createRng, deriveSeed } from '@oxels/core';
import { describe, expect, it } from 'vitest';
import { loadColoredMnist } from './images/coloredMnist.ts';
import { samplePairBatch } from './images/samplePairBatch.ts';
import { NO_PHOTOMETRIC_JITTER } from './warp/photometricJitter.ts';
import { openBatchSource } from './openBatchSource.ts';
import { DEFAULT_TRAIN_CONFIG, type TrainConfig } from '../run/TrainConfig.ts';

const config: TrainConfig = {
  ...DEFAULT_TRAIN_CONFIG,
  source: { kind: 'colored-mnist', mnistDir: null },
  model: '2d',
  batchSize: 2,
  sampling: { ...DEFAULT_TRAIN_CONFIG.sampling, samples: 64, crop: null },
  seed: 3,
};

describe('openBatchSource (2d)', () => {
  it("jitters the views as the config's photometric options say (seed 3, step 4)", async () => {
    const images = (await loadColoredMnist()).train;
    const viewsOf = async (c: TrainConfig) => {
      const source = await openBatchSource(c, 0, () => {});
      const batch = await source.next(4);
      await source.close();
      if (!batch) throw new Error('openBatchSource test: no batch');
      return batch.view1;
    };
    const expected = (photometric: TrainConfig['photometric']) =>
      samplePairBatch(images, createRng(deriveSeed(3, 5, 4)), {
        batchSize: 2,
        samples: 64,
        photometric,
      }).view1;
    const off = await viewsOf({ ...config, photometric: NO_PHOTOMETRIC_JITTER });
    expect(off).toEqual(expected(NO_PHOTOMETRIC_JITTER));
    // Colored MNIST digits are magenta (g, 0, g) or cyan (0, g, g): without jitter red or green is zero in
    // every pixel; noise of std 0.1 puts both into many of the digit's pixels.
    const mixed = (v: Float32Array) => v.some((_, i) => i % 3 === 0 && v[i] > 0.05 && v[i + 1] > 0.05);
    expect(mixed(off)).toBe(false);
    const noisy = { ...NO_PHOTOMETRIC_JITTER, noise: 0.1 };
    const jittered = await viewsOf({ ...config, photometric: noisy });
    expect(jittered).toEqual(expected(noisy));
    expect(mixed(jittered)).toBe(true);
  });
});
