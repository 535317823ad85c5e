import * as tf from '@tensorflow/tfjs-core';
import { sumRows } from './sumRows.ts';

/**
 * One-group normalisation followed by SiLU, silu(gamma * (x - mean) / sqrt(var + eps) + beta), with
 * mean and variance over H, W and C of each image. The backward pass is written out by hand: tfjs's
 * automatic one records about twenty kernels per call and reduces over leading axes, which the
 * wasm backend does by transposing first (DESIGN.md field notes: 7-18% of a step together with the
 * fused conv2d + bias).
 *
 * @param x [B, H, W, C]
 * @param gamma per-channel scale [C]
 * @param beta per-channel shift [C]
 * @param epsilon added to the variance
 * @returns [B, H, W, C]
 */
export function groupNormSilu(
  x: tf.Tensor4D,
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
  epsilon: number,
): tf.Tensor4D {
  return tf.customGrad((xi, gi, bi, save) => {
    const input = xi as tf.Tensor4D;
    const [b, h, w, c] = input.shape;
    const x2 = tf.reshape(input, [b, h * w * c]);
    const mean = tf.mean(x2, 1, true);
    const xc = tf.sub(x2, mean);
    const rstd = tf.rsqrt(tf.add(tf.mean(tf.square(xc), 1, true), epsilon));
    const xhat = tf.reshape(tf.mul(xc, rstd), [b, h, w, c]);
    const y = tf.add(tf.mul(xhat, gi as tf.Tensor1D), bi as tf.Tensor1D);
    const s = tf.sigmoid(y);
    (save as tf.GradSaveFunc)([xhat, rstd, gi as tf.Tensor, y, s]);
    return {
      value: tf.mul(y, s) as tf.Tensor4D,
      gradFunc: (g: tf.Tensor, saved: tf.Tensor[]) => {
        const [sxhat, srstd, sgamma, sy, ss] = saved;
        // d silu(y) / dy = s * (1 + y * (1 - s))
        const dy = tf.mul(g, tf.mul(ss, tf.add(1, tf.mul(sy, tf.sub(1, ss)))));
        const dgamma = sumRows(tf.mul(dy, sxhat));
        const dbeta = sumRows(dy);
        // dx = rstd * (dxhat - mean(dxhat) - xhat * mean(dxhat * xhat)), means per image.
        const dxhat = tf.reshape(tf.mul(dy, sgamma), [b, h * w * c]);
        const xh2 = tf.reshape(sxhat, [b, h * w * c]);
        const m1 = tf.mean(dxhat, 1, true);
        const m2 = tf.mean(tf.mul(dxhat, xh2), 1, true);
        const dx = tf.mul(tf.sub(tf.sub(dxhat, m1), tf.mul(xh2, m2)), srstd);
        return [tf.reshape(dx, [b, h, w, c]), dgamma, dbeta];
      },
    };
  })(x, gamma, beta) as tf.Tensor4D;
}

/**
 * One-group normalisation without activation, by automatic differentiation (used only by the
 * optional attention block, where it runs once per forward).
 * @param x [B, H, W, C]; gamma, beta [C]
 */
export function groupNorm(
  x: tf.Tensor4D,
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
  epsilon: number,
): tf.Tensor4D {
  const [b, h, w, c] = x.shape;
  const x2 = tf.reshape(x, [b, h * w * c]);
  const { mean, variance } = tf.moments(x2, 1, true);
  const xhat = tf.reshape(tf.div(tf.sub(x2, mean), tf.sqrt(tf.add(variance, epsilon))), [b, h, w, c]);
  return tf.add(tf.mul(xhat, gamma), beta);
}
