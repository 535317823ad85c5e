import { createRng } from '@oxels/core';
import * as tf from '@tensorflow/tfjs-core';
import { assert } from '../errors.ts';
import { gatherRows } from '../losses/gatherRows.ts';
import { l2Normalize } from '../losses/l2Normalize.ts';
import type { WeightArray } from './UNet.ts';

/** Shape of CLoVE's predictor. */
export interface AttentionPredictorConfig {
  /** Embedding channels C (the U-Net's output channels); must be divisible by `heads`. */
  channels: number;
  /** Attention heads (CLoVE: 8). */
  heads: number;
  /** Softmax temperature of the cosine-similarity logits: softmax(cos(q, k) / temperature). */
  temperature: number;
}

export const DEFAULT_ATTENTION_PREDICTOR_CONFIG: Readonly<Omit<AttentionPredictorConfig, 'channels'>> =
  Object.freeze({ heads: 8, temperature: 0.1 });

const NAMES = ['predictor.query', 'predictor.key', 'predictor.value', 'predictor.out'] as const;

/**
 * CLoVE's predictor (Silva et al.): normalised multi-head self-attention over a feature map. For a pixel
 * with embedding x (the map is L2-normalised per pixel) in image b, per head h with d = C / heads:
 * q = normalise((x Wq)_h), k_j = normalise((f_j Wk)_h), v_j = (f_j Wv)_h over all pixels j of image b,
 * o_h = sum_j softmax_j(q . k_j / temperature) v_j, and the prediction is
 * normalise(x + concat_h(o_h) Wo). Cosine-normalised queries and keys bound the logits by
 * 1 / temperature, which keeps the softmax from saturating as the embeddings sharpen. Wo starts at 0,
 * so the untrained predictor is the identity on normalised embeddings.
 *
 * Only the queried pixels are evaluated (self-attention's output at a pixel depends only on its own
 * query), so the cost is O(queries x H W) rather than O((H W)^2). Owns its variables: `dispose()`.
 */
export class AttentionPredictor {
  readonly config: Readonly<AttentionPredictorConfig>;
  /** Trainable [C, C] matrices by name (`predictor.query`, `.key`, `.value`, `.out`). */
  readonly parameters: ReadonlyMap<string, tf.Variable>;

  constructor(config: AttentionPredictorConfig, seed: number) {
    const { channels: c, heads, temperature } = config;
    assert(
      Number.isInteger(heads) && heads >= 1 && c % heads === 0 && temperature > 0,
      'BAD_ARGUMENT',
      () =>
        `AttentionPredictor: channels must be a multiple of heads and temperature > 0 (got ${JSON.stringify(config)})`,
    );
    this.config = Object.freeze({ ...config });
    const rng = createRng(seed);
    const scale = 1 / Math.sqrt(c);
    const params = new Map<string, tf.Variable>();
    for (const name of NAMES) {
      const values = new Float32Array(c * c);
      if (name !== 'predictor.out') for (let i = 0; i < values.length; i++) values[i] = rng.normal() * scale;
      params.set(name, tf.variable(tf.tensor2d(values, [c, c]), true));
    }
    this.parameters = params;
  }

  /**
   * Contextualised predictions at some pixels of a feature map.
   * @param features [B, H, W, C] per-pixel L2-normalised embeddings
   * @param rows int32 [M]: flat rows b * H * W + y * W + x of the queried pixels, grouped by image
   * @param counts [B]: how many of `rows` belong to each image (sum = M)
   * @returns [M, C] L2-normalised predictions, in the order of `rows`
   */
  forward(features: tf.Tensor4D, rows: Int32Array, counts: readonly number[]): tf.Tensor2D {
    const [b, h, w, c] = features.shape;
    assert(
      c === this.config.channels && counts.length === b && counts.reduce((s, n) => s + n, 0) === rows.length,
      'BAD_ARGUMENT',
      () =>
        `AttentionPredictor.forward: need features [B, H, W, ${this.config.channels}] and B counts summing to the ${rows.length} rows (got [${features.shape}], counts [${counts}])`,
    );
    const { heads, temperature } = this.config;
    const d = c / heads;
    const p = (name: (typeof NAMES)[number]) => this.parameters.get(name)!;
    return tf.tidy(() => {
      const flat = tf.reshape(features, [b * h * w, c]) as tf.Tensor2D;
      const x = gatherRows(flat, tf.tensor1d(rows, 'int32'));
      /** [P, C] -> [heads, P, d]. */
      const split = (t: tf.Tensor2D) =>
        tf.transpose(tf.reshape(t, [t.shape[0], heads, d]), [1, 0, 2]) as tf.Tensor3D;
      const outs: tf.Tensor2D[] = [];
      let at = 0;
      for (let i = 0; i < b; i++) {
        const m = counts[i];
        if (m === 0) continue;
        const xi = tf.slice(x, [at, 0], [m, c]);
        const fi = tf.slice(flat, [i * h * w, 0], [h * w, c]);
        at += m;
        const q = l2Normalize(split(tf.matMul(xi, p('predictor.query'))));
        const k = l2Normalize(split(tf.matMul(fi, p('predictor.key'))));
        const v = split(tf.matMul(fi, p('predictor.value')));
        const attention = tf.softmax(tf.div(tf.matMul(q, k, false, true), temperature)); // [heads, m, HW]
        const o = tf.matMul(attention, v); // [heads, m, d]
        outs.push(tf.reshape(tf.transpose(o, [1, 0, 2]), [m, c]) as tf.Tensor2D);
      }
      const context = outs.length === 1 ? outs[0] : tf.concat(outs, 0);
      return l2Normalize(tf.add(x, tf.matMul(context, p('predictor.out'))) as tf.Tensor2D);
    });
  }

  /** Copies the weights out by name ([C, C] row-major: y = x W). */
  getWeights(): Map<string, WeightArray> {
    return new Map(
      [...this.parameters].map(([name, v]) => [
        name,
        { shape: [...v.shape], data: v.dataSync() as Float32Array },
      ]),
    );
  }

  /** Overwrites every weight from `getWeights`'s output. */
  setWeights(weights: ReadonlyMap<string, WeightArray>): void {
    for (const [name, v] of this.parameters) {
      const wgt = weights.get(name);
      assert(
        wgt !== undefined && wgt.data.length === v.size,
        'BAD_DATA',
        () =>
          `AttentionPredictor.setWeights: ${name} missing or of the wrong size (expected ${v.size} values)`,
      );
      tf.tidy(() => v.assign(tf.tensor(wgt.data, v.shape)));
    }
  }

  /** Frees the variables. */
  dispose(): void {
    for (const v of this.parameters.values()) v.dispose();
  }
}
