import type * as tf from '@tensorflow/tfjs-core';
import type { WeightArray } from './UNet.ts';

/**
 * Copies variables out by name, read asynchronously: the way every backend allows (webgpu reads
 * nothing synchronously in Node), for checkpoints written while training on any of them.
 */
export async function readWeights(
  params: ReadonlyMap<string, tf.Variable | tf.Tensor>,
): Promise<Map<string, WeightArray>> {
  const out = new Map<string, WeightArray>();
  const values = await Promise.all([...params.values()].map((v) => v.data()));
  [...params].forEach(([name, v], i) => {
    out.set(name, { shape: [...v.shape], data: values[i] as Float32Array });
  });
  return out;
}
