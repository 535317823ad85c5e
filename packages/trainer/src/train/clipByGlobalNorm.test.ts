import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/initBackend.ts';
import { clipByGlobalNorm } from './clipByGlobalNorm.ts';

describe('clipByGlobalNorm', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });

  it('scales all gradients by maxNorm / norm when the global norm exceeds maxNorm', () => {
    const grads = new Map([
      ['a', tf.tensor1d([3, 0])],
      ['b', tf.tensor1d([4])],
    ]);
    const clipped = clipByGlobalNorm(grads, 1);
    expect(clipped.norm.dataSync()[0]).toBeCloseTo(5, 6);
    expect(Array.from(clipped.grads.get('a')!.dataSync())).toEqual([expect.closeTo(0.6, 5), 0]);
    expect(clipped.grads.get('b')!.dataSync()[0]).toBeCloseTo(0.8, 5);
    const loose = clipByGlobalNorm(grads, 10);
    expect(Array.from(loose.grads.get('a')!.dataSync())).toEqual([3, 0]);
    const off = clipByGlobalNorm(grads, 0);
    expect(off.grads.get('b')!.dataSync()[0]).toBe(4);
  });
});
