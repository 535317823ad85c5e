import * as tf from '@tensorflow/tfjs-core';

/**
 * Global-norm gradient clipping (Pascanu et al. 2013, as torch.nn.utils.clip_grad_norm_): when the L2
 * norm of all gradients together exceeds `maxNorm`, every gradient is scaled by maxNorm / norm.
 * Stays on the device (no data read), so it does not stall a GPU backend.
 * @param grads gradients by name; not disposed
 * @param maxNorm 0 or Infinity = no clipping (the norm is still computed)
 * @returns new clipped gradients (same names) and the norm before clipping, a scalar; the caller
 *   disposes both
 */
export function clipByGlobalNorm(
  grads: ReadonlyMap<string, tf.Tensor>,
  maxNorm: number,
): { grads: Map<string, tf.Tensor>; norm: tf.Scalar } {
  const out = new Map<string, tf.Tensor>();
  const norm = tf.tidy(() => {
    const total = tf.sqrt(tf.addN([...grads.values()].map((g) => tf.sum(tf.square(g))))) as tf.Scalar;
    const clip = maxNorm > 0 && Number.isFinite(maxNorm);
    // min(1, maxNorm / (norm + 1e-6)), torch's formula.
    const scale = clip ? tf.minimum(1, tf.div(maxNorm, tf.add(total, 1e-6))) : undefined;
    for (const [name, g] of grads) out.set(name, tf.keep(scale ? tf.mul(g, scale) : tf.clone(g)));
    return total;
  });
  return { grads: out, norm };
}
