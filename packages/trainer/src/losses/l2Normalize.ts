import * as tf from '@tensorflow/tfjs-core';

/**
 * Rows scaled to unit L2 norm over the last axis: x / sqrt(sum(x^2) + epsilon). The epsilon inside the
 * root keeps the gradient finite at x = 0 (tf's `l2Normalize` uses max(sum, eps) instead, whose
 * gradient is the same away from 0). Any rank; the caller disposes the result.
 *
 * @param x [..., C]
 * @returns [..., C], each row of (nearly) unit length
 */
export function l2Normalize<T extends tf.Tensor>(x: T, epsilon = 1e-12): T {
  return tf.tidy(() => tf.mul(x, tf.rsqrt(tf.add(tf.sum(tf.square(x), -1, true), epsilon)))) as T;
}
