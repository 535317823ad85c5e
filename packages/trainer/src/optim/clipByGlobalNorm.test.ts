import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/initBackend.ts';
import { clipByGlobalNorm } from './clipByGlobalNorm.ts';

describe('clipByGlobalNorm', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });

  it('scales by maxNorm / norm when the global norm exceeds maxNorm, and only then', () => {
    // Gradients (3, 0) and (4): global norm 5, whether given apart or flattened into one tensor.
    for (const grads of [[tf.tensor1d([3, 0]), tf.tensor1d([4])], [tf.tensor1d([3, 0, 4])]]) {
      const clipped = clipByGlobalNorm(grads, 1);
      expect(clipped.norm.dataSync()[0]).toBeCloseTo(5, 6);
      expect(clipped.scale!.dataSync()[0]).toBeCloseTo(0.2, 6);
      expect(clipByGlobalNorm(grads, 10).scale!.dataSync()[0]).toBe(1);
      const off = clipByGlobalNorm(grads, 0);
      expect(off.scale).toBeNull();
      expect(off.norm.dataSync()[0]).toBeCloseTo(5, 6);
    }
  });
});
