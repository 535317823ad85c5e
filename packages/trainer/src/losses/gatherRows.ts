import * as tf from '@tensorflow/tfjs-core';

/**
 * Rows of a matrix by index, `x[indices[i], :]`, differentiable on every backend. tfjs's gradient of
 * gather is UnsortedSegmentSum, which the wasm backend lacks; the gradient here is the equivalent
 * ScatterNd (which sums duplicate indices). The indices are passed to `save` because tfjs disposes
 * non-saved inputs of a custom gradient before the backward pass (tfjs 4.22's `customGrad`).
 *
 * @param x [R, C]
 * @param indices int32 [M], each in [0, R); not checked (out-of-range rows are undefined behaviour)
 * @returns [M, C]
 */
export function gatherRows(x: tf.Tensor2D, indices: tf.Tensor1D): tf.Tensor2D {
  return tf.customGrad((xi, ii, save) => {
    const rows = xi as tf.Tensor2D;
    const idx = ii as tf.Tensor1D;
    (save as tf.GradSaveFunc)([idx]);
    return {
      value: tf.gather(rows, idx),
      // tidy: frees the reshaped indices now rather than at the end of the backward pass.
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) =>
        tf.tidy(() => {
          const [sidx] = saved;
          const dx = tf.scatterND(tf.reshape(sidx, [sidx.size, 1]), dy, rows.shape);
          return [dx, tf.zerosLike(sidx)];
        }),
    };
  })(x, indices) as tf.Tensor2D;
}
