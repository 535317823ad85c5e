import * as tf from '@tensorflow/tfjs-core';
import { type AdamWOptions, DEFAULT_ADAMW_OPTIONS } from '../constants.ts';
import { assert } from '../errors.ts';
import type { WeightArray } from '../model/UNet.ts';

/** Serialisable optimiser state (for checkpoints): step count and both moment estimates by parameter name. */
export interface AdamWState {
  step: number;
  m: Map<string, WeightArray>;
  v: Map<string, WeightArray>;
}

/**
 * AdamW (Loshchilov & Hutter 2019) with decoupled weight decay, as torch.optim.AdamW: per step t,
 * w -= lr * weightDecay * w; m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2;
 * w -= lr * (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps). Decay applies to every parameter, as
 * torch's default does. Owns its moment tensors: call `dispose()`.
 */
export class AdamW {
  readonly options: Readonly<AdamWOptions>;
  /** Rate of the next step; set it from the schedule before each step. */
  learningRate = 1e-3;
  private readonly params: ReadonlyMap<string, tf.Variable>;
  private readonly m = new Map<string, tf.Variable>();
  private readonly v = new Map<string, tf.Variable>();
  private t = 0;

  /** @param params the variables to optimise, by name (e.g. `UNet.parameters`) */
  constructor(params: ReadonlyMap<string, tf.Variable>, options: Partial<AdamWOptions> = {}) {
    this.options = Object.freeze({ ...DEFAULT_ADAMW_OPTIONS, ...options });
    const { beta1, beta2, epsilon, weightDecay } = this.options;
    assert(
      beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1 && epsilon > 0 && weightDecay >= 0,
      'BAD_ARGUMENT',
      () =>
        `AdamW: need 0 <= beta1, beta2 < 1, epsilon > 0, weightDecay >= 0 (got ${JSON.stringify(this.options)})`,
    );
    this.params = params;
    for (const [name, p] of params) {
      this.m.set(name, tf.variable(tf.zerosLike(p), false));
      this.v.set(name, tf.variable(tf.zerosLike(p), false));
    }
  }

  /** Steps taken so far. */
  get step(): number {
    return this.t;
  }

  /**
   * Applies one update with `learningRate`. Parameters without a gradient are left alone (their
   * moments too). Does not dispose `grads`.
   * @param grads gradient per parameter name, same shapes as the parameters
   */
  applyGradients(grads: ReadonlyMap<string, tf.Tensor>): void {
    this.t++;
    const { beta1, beta2, epsilon, weightDecay } = this.options;
    const lr = this.learningRate;
    const c1 = 1 - beta1 ** this.t;
    const c2 = 1 - beta2 ** this.t;
    tf.tidy(() => {
      for (const [name, p] of this.params) {
        const g = grads.get(name);
        if (!g) continue;
        const m = this.m.get(name)!;
        const v = this.v.get(name)!;
        const m1 = tf.add(tf.mul(m, beta1), tf.mul(g, 1 - beta1));
        const v1 = tf.add(tf.mul(v, beta2), tf.mul(tf.square(g), 1 - beta2));
        m.assign(m1);
        v.assign(v1);
        const update = tf.div(tf.mul(m1, lr / c1), tf.add(tf.sqrt(tf.div(v1, c2)), epsilon));
        p.assign(tf.sub(tf.mul(p, 1 - lr * weightDecay), update));
      }
    });
  }

  /** Copies the state out (for a checkpoint). */
  getState(): AdamWState {
    const read = (vars: Map<string, tf.Variable>) =>
      new Map([...vars].map(([k, t]) => [k, { shape: [...t.shape], data: t.dataSync() as Float32Array }]));
    return { step: this.t, m: read(this.m), v: read(this.v) };
  }

  /** Restores a state from `getState`; its names and shapes must match the parameters. */
  setState(state: AdamWState): void {
    for (const [label, src, dst] of [
      ['m', state.m, this.m],
      ['v', state.v, this.v],
    ] as const) {
      for (const [name, t] of dst) {
        const w = src.get(name);
        assert(
          w !== undefined && w.data.length === t.size,
          'BAD_DATA',
          () => `AdamW.setState: ${label}[${name}] missing or of the wrong size (expected ${t.size} values)`,
        );
        tf.tidy(() => t.assign(tf.tensor(w.data, t.shape)));
      }
    }
    this.t = state.step;
  }

  /** Frees the moment estimates. */
  dispose(): void {
    for (const t of [...this.m.values(), ...this.v.values()]) t.dispose();
  }
}
