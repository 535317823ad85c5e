import { createRng } from '@oxels/core';
import * as tf from '@tensorflow/tfjs-core';
import type { UNetConfig } from '../constants.ts';
import { assert } from '../errors.ts';
import { initialValues } from './initializers.ts';
import { opFormulations } from '../backend/opFormulations.ts';
import { conv2dBias } from './ops/conv2dBias.ts';
import { groupNorm, normSilu, normSiluParts } from './ops/normSilu.ts';
import { upsample2x } from './ops/upsample2x.ts';
import { type ParameterSpec, unetParameters } from './unetParameters.ts';

/** Options of `UNet.forward`. */
export interface UNetForwardOptions {
  /** Training mode: dropout is active. */
  training: boolean;
  /** Seed of the dropout masks; give each step its own. */
  seed: number;
}

export const DEFAULT_UNET_FORWARD_OPTIONS: Readonly<UNetForwardOptions> = Object.freeze({
  training: false,
  seed: 0,
});

/** A weight as plain data: row-major values in the shape given (tfjs layout, see `UNet.getWeights`). */
export interface WeightArray {
  shape: number[];
  data: Float32Array;
}

/** The side unit of a U-Net's input: H and W must be multiples of 2^(stages - 1) (`UNet.forward`). */
export function unetSizeUnit(config: Pick<UNetConfig, 'widths'>): number {
  return 2 ** (config.widths.length - 1);
}

/**
 * The paper's U-Net backbone (layer layout in `unetParameters`), NHWC, built from tfjs variables.
 * Maps images [B, H, W, inChannels] to per-pixel descriptors [B, H, W, outChannels]; H and W must be
 * divisible by 2^(stages - 1).
 */
export class UNet {
  readonly config: Readonly<UNetConfig>;
  /** Trainable variables by state_dict key, in state_dict order. */
  readonly parameters: ReadonlyMap<string, tf.Variable>;
  private readonly specs: ParameterSpec[];

  /**
   * Creates the variables on the current tfjs backend, initialised from `seed` (the same seed gives
   * the same weights on every backend).
   */
  constructor(config: UNetConfig, seed: number) {
    this.config = Object.freeze({ ...config, widths: [...config.widths], blocks: [...config.blocks] });
    this.specs = unetParameters(config);
    const rng = createRng(seed);
    const params = new Map<string, tf.Variable>();
    for (const spec of this.specs) {
      params.set(spec.name, tf.variable(tf.tensor(initialValues(spec, rng), spec.shape), true));
    }
    this.parameters = params;
  }

  /** Number of scalar parameters. */
  parameterCount(): number {
    let n = 0;
    for (const v of this.parameters.values()) n += v.size;
    return n;
  }

  /**
   * Runs the network. Records on the gradient tape when called inside `tf.variableGrads`.
   * @param x images [B, H, W, inChannels]
   * @returns descriptors [B, H, W, outChannels]; the caller disposes it
   */
  forward(x: tf.Tensor4D, options: Partial<UNetForwardOptions> = {}): tf.Tensor4D {
    const { training, seed } = { ...DEFAULT_UNET_FORWARD_OPTIONS, ...options };
    const { widths, blocks, dropout, inChannels } = this.config;
    const last = widths.length - 1;
    const [, height, width, channels] = x.shape;
    const factor = unetSizeUnit(this.config);
    assert(
      x.rank === 4 && channels === inChannels,
      'BAD_ARGUMENT',
      () => `UNet.forward: input must be [B, H, W, ${inChannels}] (got [${x.shape}])`,
    );
    assert(
      height % factor === 0 && width % factor === 0,
      'BAD_ARGUMENT',
      () => `UNet.forward: H and W must be multiples of ${factor} (got ${height}x${width})`,
    );
    return tf.tidy(() => {
      const drop = (t: tf.Tensor4D, rate: number, name: string): tf.Tensor4D =>
        training && rate > 0 ? (tf.dropout(t, rate, undefined, `${seed}:${name}`) as tf.Tensor4D) : t;
      // wasm never builds the decoder's channel concat (see normSiluParts); on tensorflow a Concat is
      // one cheap kernel, and one convolution beats one per part plus their sum.
      const concatFirst = opFormulations().decoderInput === 'concat';
      /** Residual block over the channel concat of `inputs`. */
      const block = (name: string, parts: tf.Tensor4D[], rate: number): tf.Tensor4D => {
        const inputs = concatFirst && parts.length > 1 ? [tf.concat(parts, 3)] : parts;
        let h = this.convParts(`${name}.conv1`, this.normSiluParts(`${name}.norm1`, inputs));
        h = drop(this.normSilu(`${name}.norm2`, h), rate, name);
        h = this.conv(`${name}.conv2`, h);
        const skip = this.parameters.has(`${name}.skip.weight`)
          ? this.convParts(`${name}.skip`, inputs)
          : inputs[0];
        return tf.add(skip, h);
      };

      let h = this.conv('stem', x, false);
      const skips: tf.Tensor4D[] = [];
      for (let s = 0; s <= last; s++) {
        for (let i = 0; i < blocks[s]; i++) h = block(`encoder.${s}.blocks.${i}`, [h], dropout[s]);
        skips.push(h);
        // A 1x1 conv commutes with average pooling: pooling first is 4x cheaper.
        if (s < last) h = this.conv(`encoder.${s}.down`, tf.avgPool(h, 2, 2, 'valid'));
      }
      h = block('mid.block', [h], dropout[last]);
      if (this.config.attention) h = this.attention('mid.attn', h);
      for (let s = last; s >= 0; s--) {
        // The first block of each decoder stage takes [running tensor, encoder skip] as its input.
        for (let i = 0; i <= blocks[s]; i++) {
          h = block(`decoder.${s}.blocks.${i}`, i === 0 ? [h, skips[s]] : [h], dropout[s]);
        }
        if (s > 0) {
          // Likewise a 1x1 conv commutes with nearest-neighbour upsampling: convolve first.
          h = this.conv(`decoder.${s}.up`, h);
          h = upsample2x(h);
        }
      }
      return this.conv('head.conv', this.normSilu('head.norm', h));
    });
  }

  /**
   * Copies the weights out, by state_dict key in state_dict order. Layout is tfjs's: conv kernels
   * [k, k, Cin, Cout] (PyTorch's Conv2d stores [Cout, Cin, k, k]; see `hwioToOihw`).
   */
  getWeights(): Map<string, WeightArray> {
    const out = new Map<string, WeightArray>();
    for (const [name, v] of this.parameters) {
      out.set(name, { shape: [...v.shape], data: v.dataSync() as Float32Array });
    }
    return out;
  }

  /**
   * Overwrites every weight. `weights` must hold exactly this model's keys with matching shapes
   * (tfjs layout, as `getWeights` returns them).
   */
  setWeights(weights: ReadonlyMap<string, WeightArray>): void {
    const missing = [...this.parameters.keys()].filter((k) => !weights.has(k));
    const unknown = [...weights.keys()].filter((k) => !this.parameters.has(k));
    assert(
      missing.length === 0 && unknown.length === 0,
      'BAD_DATA',
      () =>
        `UNet.setWeights: keys do not match the model (missing [${missing.slice(0, 5)}]${missing.length > 5 ? '...' : ''}, ` +
        `unknown [${unknown.slice(0, 5)}]${unknown.length > 5 ? '...' : ''}); was it saved from another configuration?`,
    );
    for (const [name, v] of this.parameters) {
      const w = weights.get(name)!;
      const size = w.shape.reduce((a, b) => a * b, 1);
      assert(
        w.shape.length === v.shape.length &&
          w.shape.every((d, i) => d === v.shape[i]) &&
          w.data.length === size,
        'BAD_DATA',
        () =>
          `UNet.setWeights: ${name} has shape [${w.shape}] with ${w.data.length} values (expected [${v.shape}])`,
      );
    }
    for (const [name, v] of this.parameters) {
      const w = weights.get(name)!;
      tf.tidy(() => v.assign(tf.tensor(w.data, v.shape)));
    }
  }

  /** Frees the variables. The model is unusable afterwards. */
  dispose(): void {
    for (const v of this.parameters.values()) v.dispose();
  }

  private param<R extends tf.Rank>(name: string): tf.Tensor<R> {
    return this.parameters.get(name) as unknown as tf.Tensor<R>;
  }

  private conv(name: string, x: tf.Tensor4D, inputGrad = true): tf.Tensor4D {
    return conv2dBias(x, this.param(`${name}.weight`), this.param(`${name}.bias`), inputGrad);
  }

  private normSilu(name: string, x: tf.Tensor4D): tf.Tensor4D {
    const { normEpsilon, normalization } = this.config;
    return normSilu(x, this.param(`${name}.weight`), this.param(`${name}.bias`), normEpsilon, normalization);
  }
  /** Norm + SiLU over the channel concat of `xs`, one output per part. */
  private normSiluParts(name: string, xs: tf.Tensor4D[]): tf.Tensor4D[] {
    if (xs.length === 1) return [this.normSilu(name, xs[0])];
    const sizes = xs.map((x) => x.shape[3]);
    const gammas = tf.split(this.param<tf.Rank.R1>(`${name}.weight`), sizes) as tf.Tensor1D[];
    const betas = tf.split(this.param<tf.Rank.R1>(`${name}.bias`), sizes) as tf.Tensor1D[];
    return normSiluParts(xs, gammas, betas, this.config.normEpsilon, this.config.normalization);
  }

  /** A convolution of the channel concat of `xs`, as the sum of one convolution per part. */
  private convParts(name: string, xs: tf.Tensor4D[]): tf.Tensor4D {
    if (xs.length === 1) return this.conv(name, xs[0]);
    const sizes = xs.map((x) => x.shape[3]);
    const filters = tf.split(this.param<tf.Rank.R4>(`${name}.weight`), sizes, 2) as tf.Tensor4D[];
    const bias = this.param<tf.Rank.R1>(`${name}.bias`);
    return tf.addN(xs.map((x, i) => conv2dBias(x, filters[i], i === 0 ? bias : null))) as tf.Tensor4D;
  }

  /** Single-head self-attention over all pixels with a residual connection (DDPM-style). */
  private attention(name: string, x: tf.Tensor4D): tf.Tensor4D {
    const [b, h, w, c] = x.shape;
    const n = h * w;
    const normed = groupNorm(
      x,
      this.param(`${name}.norm.weight`),
      this.param(`${name}.norm.bias`),
      this.config.normEpsilon,
    );
    const qkv = tf.reshape(this.conv(`${name}.qkv`, normed), [b, n, 3 * c]);
    const [q, k, v] = tf.split(qkv, 3, 2) as tf.Tensor3D[];
    const weights = tf.softmax(tf.mul(tf.matMul(q, tf.transpose(k, [0, 2, 1])), 1 / Math.sqrt(c)));
    const attended = tf.reshape(tf.matMul(weights, v), [b, h, w, c]) as tf.Tensor4D;
    return tf.add(x, this.conv(`${name}.proj`, attended));
  }
}
