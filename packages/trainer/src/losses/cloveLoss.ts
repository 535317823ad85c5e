import * as tf from '@tensorflow/tfjs-core';
import { assert } from '../errors.ts';

/** Options of `cloveLoss`. */
export interface CloveLossOptions {
  /** k: the hard negative comes from the k most similar non-matching teacher embeddings (CLoVE: 10). */
  topK: number;
  /** Margin of the ranking loss, in cosine-similarity units. */
  margin: number;
}

export const DEFAULT_CLOVE_LOSS_OPTIONS: Readonly<CloveLossOptions> = Object.freeze({
  topK: 10,
  margin: 0.5,
});

/** The loss and two diagnostics, as scalars that the caller disposes. */
export interface CloveLossTerms {
  /** Mean hinge max(0, margin - s_pos + s_neg). */
  loss: tf.Scalar;
  /** Mean cosine similarity of each prediction to its own teacher embedding (s_pos). */
  positive: tf.Scalar;
  /** Mean hard-negative similarity (s_neg). */
  negative: tf.Scalar;
}

/**
 * CLoVE's margin ranking loss (Silva et al., "CLoVE: Contextualized Local Visual Embeddings") between
 * contextualised student predictions p_i and the teacher's local embeddings t_i at the matching pixels.
 * With S = P T^T (cosine similarities; all rows expected L2-normalised):
 *
 *     s_pos_i = S_ii
 *     s_neg_i = mean of S_ij over the ranks 2..k of { S_ij : j != i } sorted by decreasing similarity
 *     loss    = mean_i max(0, margin - s_pos_i + s_neg_i)
 *
 * Our reading of "the hard negative built from the top-k most similar teacher features (k = 10) minus
 * the most similar one": the candidates are the teacher embeddings of the other matched pixels of the
 * batch (all pairs; never the positive itself); of the k most similar, the most similar one is dropped
 * (it is the likeliest false negative: the same surface seen elsewhere, or a neighbouring pixel), and
 * the hard negative's score is the mean similarity of the remaining k - 1. With fewer than k + 1 rows,
 * k = M - 1. The selection itself passes no gradient; gradients reach both P and T through S (the
 * caller keeps T off the tape: it is the EMA teacher's).
 *
 * @param predictions [M, C] contextualised student embeddings at view-1 pixels
 * @param targets [M, C] teacher embeddings at the matching view-2 pixels
 */
export function cloveLoss(
  predictions: tf.Tensor2D,
  targets: tf.Tensor2D,
  options: Partial<CloveLossOptions> = {},
): CloveLossTerms {
  const { topK, margin } = { ...DEFAULT_CLOVE_LOSS_OPTIONS, ...options };
  const [m, c] = predictions.shape;
  assert(
    targets.rank === 2 && targets.shape[0] === m && targets.shape[1] === c,
    'BAD_ARGUMENT',
    () =>
      `cloveLoss: need predictions and targets both [M, C] (got [${predictions.shape}] and [${targets.shape}])`,
  );
  assert(
    Number.isInteger(topK) && topK >= 2 && m >= 3,
    'BAD_ARGUMENT',
    () => `cloveLoss: need topK >= 2 and at least 3 rows (got topK ${topK}, ${m} rows)`,
  );
  const k = Math.min(topK, m - 1);
  const terms = tf.tidy(() => {
    const s = tf.matMul(predictions, targets, false, true) as tf.Tensor2D; // [M, M]
    const pos = tf.sum(tf.mul(predictions, targets), 1);
    const neg = tf.div(tf.sum(tf.mul(s, hardNegativeMask(s, k)), 1), k - 1);
    const loss = tf.mean(tf.relu(tf.add(tf.sub(neg, pos), margin)));
    return [loss, tf.mean(pos), tf.mean(neg)];
  });
  return { loss: terms[0] as tf.Scalar, positive: terms[1] as tf.Scalar, negative: terms[2] as tf.Scalar };
}

/**
 * [M, M] with 1 at the ranks 2..k of each row's off-diagonal entries of `s` (decreasing), else 0. A
 * custom gradient of zero: the selection is a constant of the loss (tfjs has no gradient for TopK).
 */
function hardNegativeMask(s: tf.Tensor2D, k: number): tf.Tensor2D {
  return tf.customGrad((x) => {
    const sim = x as tf.Tensor2D;
    const m = sim.shape[0];
    const value = tf.tidy(() => {
      // The diagonal (the positive) is pushed below every cosine similarity.
      const offDiagonal = tf.sub(sim, tf.mul(tf.eye(m), 4));
      const { indices } = tf.topk(offDiagonal, k);
      const ranks2toK = tf.slice(indices, [0, 1], [m, k - 1]);
      // The k-1 one-hot rows of each row summed by a product with ones, in float32: tfjs-webgpu
      // miscompiles a Sum over the middle axis of a one-hot (its Transpose gets the int32 element
      // type), and tfjs-wasm's OneHot writes integer bits when asked for a float32 output.
      const oneHot = tf.cast(tf.oneHot(ranks2toK, m), 'float32') as tf.Tensor3D;
      return tf.reshape(tf.matMul(tf.ones([m, 1, k - 1]), oneHot), [m, m]) as tf.Tensor2D;
    });
    return { value, gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy) };
  })(s) as tf.Tensor2D;
}
