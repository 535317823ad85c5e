import { createRng } from '@oxels/core';
import * as tf from '@tensorflow/tfjs-core';
import { assert } from '../../errors.ts';
import { linear } from './linear.ts';
import { pixelAttention } from './pixelAttention.ts';

/** Layout of the attention probe. */
export interface AttentionProbeConfig {
  /** Channels C of the descriptors it reads. */
  inChannels: number;
  /** Widths of the per-pixel MLP's hidden layers (ReLU); a last linear layer gives one logit. */
  hidden: number[];
  /**
   * Fixed per-channel standardisation (x - mean) / std of the input, e.g. the training set's statistics
   * (`trainProbe` sets it); not trained and not counted as parameters. null = none.
   */
  standardize: { mean: number[]; std: number[] } | null;
}

/** The paper's probe (App. B.4) on 32-channel descriptors: MLP (150, 100, 50). */
export const DEFAULT_ATTENTION_PROBE_CONFIG: Readonly<AttentionProbeConfig> = Object.freeze({
  inChannels: 32,
  hidden: [150, 100, 50],
  standardize: null,
});

/** Parameter names and shapes of a probe, in creation order: attention q/k/v, then the MLP layers. */
export function attentionProbeShapes(config: AttentionProbeConfig): [string, number[]][] {
  const c = config.inChannels;
  const shapes: [string, number[]][] = [];
  for (const p of ['query', 'key', 'value'])
    shapes.push([`attn.${p}.weight`, [c, c]], [`attn.${p}.bias`, [c]]);
  let width = c;
  [...config.hidden, 1].forEach((out, i) => {
    shapes.push([`mlp.${i}.weight`, [width, out]], [`mlp.${i}.bias`, [out]]);
    width = out;
  });
  return shapes;
}

/**
 * The paper's frozen-backbone pixel classifier (App. B.4): one-head self-attention over all pixels of a
 * descriptor map, added to the (standardised) descriptors (residual), then a per-pixel MLP to one logit; the image's
 * logit is the mean of its pixel logits. With C = 32 and MLP (150, 100, 50) it has 28,319 parameters:
 * q, k, v projections with biases (3,168) and the MLP (25,151). The paper counts 28,479, 160 more, and
 * does not give the layout; an output projection after the attention (as torch's MultiheadAttention
 * has) would add 1,056, so we leave it out: a single head feeding a linear layer does not need one.
 * Owns its variables: call `dispose()`.
 */
export class AttentionProbe {
  readonly config: Readonly<AttentionProbeConfig>;
  /** Trainable variables by name (see `attentionProbeShapes`), e.g. for `AdamW`. */
  readonly parameters: ReadonlyMap<string, tf.Variable>;

  /**
   * @param seed initial weights as torch's nn.Linear draws them: U(-1/sqrt(fanIn), 1/sqrt(fanIn)) for
   *   weights and biases, from a seeded generator (the same on every backend)
   */
  constructor(config: Partial<AttentionProbeConfig> = {}, seed = 0) {
    this.config = Object.freeze({ ...DEFAULT_ATTENTION_PROBE_CONFIG, ...config });
    const { inChannels, hidden } = this.config;
    assert(
      Number.isInteger(inChannels) && inChannels > 0 && hidden.every((h) => Number.isInteger(h) && h > 0),
      'BAD_ARGUMENT',
      () => `AttentionProbe: widths must be positive integers (got ${JSON.stringify(this.config)})`,
    );
    const st = this.config.standardize;
    assert(
      st === null ||
        (st.mean.length === inChannels && st.std.length === inChannels && st.std.every((v) => v > 0)),
      'BAD_ARGUMENT',
      () => `AttentionProbe: standardize needs ${inChannels} means and ${inChannels} stds > 0`,
    );
    const rng = createRng(seed);
    const params = new Map<string, tf.Variable>();
    for (const [name, shape] of attentionProbeShapes(this.config)) {
      // Every weight is [fanIn, out] and its bias follows it, so fanIn is the weight's first dimension.
      const fanIn = name.endsWith('.weight')
        ? shape[0]
        : params.get(name.replace(/bias$/, 'weight'))!.shape[0];
      const bound = 1 / Math.sqrt(fanIn);
      const size = shape.reduce((a, b) => a * b, 1);
      const values = Float32Array.from({ length: size }, () => rng.uniform(-bound, bound));
      params.set(name, tf.variable(tf.tensor(values, shape), true));
    }
    this.parameters = params;
  }

  /** Number of trainable scalars. */
  parameterCount(): number {
    let n = 0;
    for (const v of this.parameters.values()) n += v.size;
    return n;
  }

  /**
   * Per-pixel logits.
   * @param x [B, P, C] float32 descriptors of B images, P pixels each (any order: attention is global)
   * @returns [B, P] logits
   */
  pixelLogits(x: tf.Tensor3D): tf.Tensor2D {
    const [b, p, c] = x.shape;
    assert(
      c === this.config.inChannels,
      'BAD_ARGUMENT',
      () => `AttentionProbe.pixelLogits: x has ${c} channels (expected ${this.config.inChannels})`,
    );
    return tf.tidy(() => {
      const weight = (name: string) => this.parameters.get(`${name}.weight`) as tf.Tensor as tf.Tensor2D;
      const bias = (name: string) => this.parameters.get(`${name}.bias`) as tf.Tensor as tf.Tensor1D;
      const st = this.config.standardize;
      const input = st ? tf.div(tf.sub(x, tf.tensor1d(st.mean)), tf.tensor1d(st.std)) : x;
      const flat: tf.Tensor2D = tf.reshape(input, [b * p, c]);
      const project = (name: string) =>
        tf.reshape(linear(flat, weight(`attn.${name}`), bias(`attn.${name}`)), [b, p, c]) as tf.Tensor3D;
      const attended = pixelAttention(project('query'), project('key'), project('value'));
      let h: tf.Tensor2D = tf.reshape(tf.add(input, attended), [b * p, c]);
      const layers = this.config.hidden.length + 1;
      for (let i = 0; i < layers; i++) {
        h = linear(h, weight(`mlp.${i}`), bias(`mlp.${i}`));
        if (i < layers - 1) h = tf.relu(h);
      }
      return tf.reshape(h, [b, p]);
    });
  }

  /**
   * Image logits: the mean of the pixel logits (> 0 predicts label 1).
   * @param x [B, P, C] float32 descriptors
   * @returns [B] logits
   */
  forward(x: tf.Tensor3D): tf.Tensor1D {
    return tf.tidy(() => tf.mean(this.pixelLogits(x), 1));
  }

  /** Frees the variables. */
  dispose(): void {
    for (const v of this.parameters.values()) v.dispose();
  }
}
