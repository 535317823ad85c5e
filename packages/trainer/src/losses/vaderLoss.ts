import * as tf from '@tensorflow/tfjs-core';
import { assert } from '../errors.ts';

/** Options of `vaderLoss`. */
export interface VaderLossOptions {
  /** Softmax temperature tau of the InfoNCE logits (VADeR and MoCo: 0.07). */
  temperature: number;
}

export const DEFAULT_VADER_LOSS_OPTIONS: Readonly<VaderLossOptions> = Object.freeze({ temperature: 0.07 });

/** The loss and two diagnostics, as scalars that the caller disposes. */
export interface VaderLossTerms {
  /** Mean InfoNCE cross-entropy. */
  loss: tf.Scalar;
  /** Mean cosine similarity of each query to its positive key. */
  positive: tf.Scalar;
  /** Mean cosine similarity of the queries to the queued negatives. */
  negative: tf.Scalar;
}

/**
 * VADeR's pixel-level InfoNCE (Pinheiro et al., NeurIPS 2020, eq. 1; MoCo's form): for query i with
 * positive key k_i and the K queued negatives n_j, with logits l_i0 = q_i . k_i / tau and
 * l_ij = q_i . n_j / tau,
 *
 *     loss = mean_i [ log(exp(l_i0) + sum_j exp(l_ij)) - l_i0 ]
 *
 * i.e. softmax cross-entropy with the positive as the label. All rows are expected L2-normalised (see
 * `l2Normalize`), so the dot products are cosine similarities. Only the queue supplies negatives (as
 * MoCo): the other keys of the batch are not used. Gradients flow into `queries`; the caller passes
 * keys and queue from the momentum encoder outside the tape.
 *
 * @param queries [M, C] student embeddings at view-1 pixels
 * @param keys [M, C] momentum-encoder embeddings at the matching view-2 pixels
 * @param queue [K, C] negatives (earlier batches' keys)
 */
export function vaderLoss(
  queries: tf.Tensor2D,
  keys: tf.Tensor2D,
  queue: tf.Tensor2D,
  options: Partial<VaderLossOptions> = {},
): VaderLossTerms {
  const { temperature } = { ...DEFAULT_VADER_LOSS_OPTIONS, ...options };
  const [m, c] = queries.shape;
  assert(
    keys.rank === 2 && keys.shape[0] === m && keys.shape[1] === c && queue.rank === 2 && queue.shape[1] === c,
    'BAD_ARGUMENT',
    () =>
      `vaderLoss: need queries [M, C], keys [M, C], queue [K, C] (got [${queries.shape}], [${keys.shape}], [${queue.shape}])`,
  );
  assert(temperature > 0, 'BAD_ARGUMENT', () => `vaderLoss: temperature must be > 0 (got ${temperature})`);
  const terms = tf.tidy(() => {
    const pos = tf.sum(tf.mul(queries, keys), 1, true); // [M, 1]
    const neg = tf.matMul(queries, queue, false, true); // [M, K]
    const logits = tf.div(tf.concat([pos, neg], 1), temperature);
    const loss = tf.mean(tf.sub(tf.logSumExp(logits, 1), tf.squeeze(tf.div(pos, temperature), [1])));
    return [loss, tf.mean(pos), tf.mean(neg)];
  });
  return { loss: terms[0] as tf.Scalar, positive: terms[1] as tf.Scalar, negative: terms[2] as tf.Scalar };
}
