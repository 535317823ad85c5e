import * as tf from '@tensorflow/tfjs-core';

/**
 * Global-norm gradient clipping (Pascanu et al. 2013, as torch.nn.utils.clip_grad_norm_): when the L2
 * norm of all gradients together exceeds `maxNorm`, every gradient is scaled by maxNorm / norm. Gives
 * the factor rather than the scaled gradients, so that AdamW folds it into its own arithmetic (on
 * one flat vector, or per parameter). Stays on the device (no data read), so it does not stall a GPU
 * backend.
 * @param grads the gradients (any shapes); not disposed
 * @param maxNorm 0 or Infinity = no clipping (the norm is still computed)
 * @returns the norm before clipping, a scalar, and the factor to multiply every gradient by (null
 *   when clipping is off)
 */
export function clipByGlobalNorm(
  grads: readonly tf.Tensor[],
  maxNorm: number,
): { norm: tf.Scalar; scale: tf.Scalar | null } {
  const squares = grads.map((g) => tf.sum(tf.square(g)));
  const norm = tf.sqrt(squares.length === 1 ? squares[0] : tf.addN(squares)) as tf.Scalar;
  if (!(maxNorm > 0 && Number.isFinite(maxNorm))) return { norm, scale: null };
  // min(1, maxNorm / (norm + 1e-6)), torch's formula.
  return { norm, scale: tf.minimum(1, tf.div(maxNorm, tf.add(norm, 1e-6))) as tf.Scalar };
}
