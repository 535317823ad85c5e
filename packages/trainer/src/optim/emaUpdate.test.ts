import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/initBackend.ts';
import { emaUpdate } from './emaUpdate.ts';

describe('emaUpdate', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });

  it('sets w = m w + (1 - m) s for every weight, leaving the source alone', () => {
    const target = new Map<string, tf.Variable>([
      ['a', tf.variable(tf.tensor1d([1, 2]))],
      ['b', tf.variable(tf.tensor2d([[-4]]))],
    ]);
    const source = new Map<string, tf.Variable>([
      ['a', tf.variable(tf.tensor1d([3, 5]))],
      ['b', tf.variable(tf.tensor2d([[6]]))],
    ]);
    const before = tf.memory().numTensors;
    emaUpdate(target, source, 0.75);
    expect(tf.memory().numTensors).toBe(before);
    // 0.75 * 1 + 0.25 * 3 = 1.5; 0.75 * 2 + 0.25 * 5 = 2.75; 0.75 * -4 + 0.25 * 6 = -1.5 (exact in float32)
    expect([...target.get('a')!.dataSync()]).toEqual([1.5, 2.75]);
    expect([...target.get('b')!.dataSync()]).toEqual([-1.5]);
    expect([...source.get('a')!.dataSync()]).toEqual([3, 5]);
    emaUpdate(target, source, 0);
    expect([...target.get('b')!.dataSync()]).toEqual([6]);
  });

  it('rejects a momentum outside [0, 1] and mismatched weights', () => {
    const t = new Map([['a', tf.variable(tf.zeros([2]))]]);
    expect(() => emaUpdate(t, t, 1.5)).toThrow(/momentum must be in \[0, 1\]/);
    expect(() => emaUpdate(t, new Map([['b', tf.variable(tf.zeros([2]))]]), 0.9)).toThrow(/b|a/);
  });
});
