import * as tf from '@tensorflow/tfjs-core';
import { type AdamWOptions, DEFAULT_ADAMW_OPTIONS } from '../constants.ts';
import { assert } from '../errors.ts';
import type { WeightArray } from '../model/UNet.ts';
import { clipByGlobalNorm } from './clipByGlobalNorm.ts';
import { type OpFormulations, opFormulations } from '../backend/opFormulations.ts';

/** Serialisable optimiser state (for checkpoints): step count and both moment estimates by parameter name. */
export interface AdamWState {
  step: number;
  m: Map<string, WeightArray>;
  v: Map<string, WeightArray>;
}

/** Where one parameter's values lie in a flat vector of all of them. */
interface FlatSlot {
  name: string;
  shape: number[];
  offset: number;
  size: number;
}

/**
 * One AdamW update computed but not yet written (`AdamW.computeUpdate`): the caller reads what it
 * needs to decide (asynchronously if it must: webgpu reads nothing synchronously in Node), then
 * commits or discards it. Either way the caller disposes `norm`.
 */
export interface AdamWUpdate {
  /** The global gradient norm before clipping. */
  readonly norm: tf.Scalar;
  /** bool: every weight the update would write is finite. */
  readonly weightsFinite: tf.Scalar;
  /** Writes the update (weights, moments, step count) and frees its tensors but `norm`. */
  commit(): void;
  /** Frees its tensors but `norm` without writing: the optimiser stays as it was. */
  discard(): void;
}

/** Options of `AdamW.applyGradients`. */
export interface ApplyGradientsOptions {
  /** Global L2 norm the gradients are clipped to (`clipByGlobalNorm`); 0 = no clipping. */
  maxNorm: number;
}

export const DEFAULT_APPLY_GRADIENTS_OPTIONS: Readonly<ApplyGradientsOptions> = Object.freeze({
  maxNorm: 0,
});

/** An update computed but not yet written: new values by variable, and the new weights among them. */
interface PendingUpdate {
  norm: tf.Scalar;
  writes: [tf.Variable, tf.Tensor][];
  weights: tf.Tensor[];
}

/** bool scalar: every value of every tensor is finite. */
function allFinite(tensors: tf.Tensor[]): tf.Scalar {
  const each = tensors.map((t) => tf.all(tf.isFinite(t)));
  if (each.length === 0) return tf.scalar(true, 'bool');
  return (each.length === 1 ? each[0] : tf.all(tf.stack(each))) as tf.Scalar;
}

/**
 * AdamW (Loshchilov & Hutter 2019) with decoupled weight decay, as torch.optim.AdamW: per step t,
 * w -= lr * weightDecay * w; m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2;
 * w -= lr * (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps). Decay applies to every parameter, as
 * torch's default does. The update is the same element by element on every backend; how the moments
 * are stored (one flat vector, or one tensor per parameter) follows the backend current at
 * construction (`opFormulations`: on tensorflow a dozen kernels per step beat a dozen per parameter,
 * 22 ms against 39 ms per update of the 2D U-Net; wasm's SplitV is slow). Owns its moment tensors: call `dispose()`.
 */
export class AdamW {
  readonly options: Readonly<AdamWOptions>;
  /** Rate of the next step; set it from the schedule before each step. */
  learningRate = 1e-3;
  private readonly params: ReadonlyMap<string, tf.Variable>;
  private readonly slots: FlatSlot[] = [];
  /** One flat vector each, or one tensor per parameter (in `slots` order). */
  private readonly m: tf.Variable[];
  private readonly v: tf.Variable[];
  private readonly flat: boolean;
  private t = 0;

  /**
   * @param params the variables to optimise, by name (e.g. `UNet.parameters`)
   * @param layout `flat` or `perParameter` moments; default: the current backend's (`opFormulations`)
   */
  constructor(
    params: ReadonlyMap<string, tf.Variable>,
    options: Partial<AdamWOptions> = {},
    layout: OpFormulations['adamw'] = opFormulations().adamw,
  ) {
    this.options = Object.freeze({ ...DEFAULT_ADAMW_OPTIONS, ...options });
    const { beta1, beta2, epsilon, weightDecay } = this.options;
    assert(
      beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1 && epsilon > 0 && weightDecay >= 0,
      'BAD_ARGUMENT',
      () =>
        `AdamW: need 0 <= beta1, beta2 < 1, epsilon > 0, weightDecay >= 0 (got ${JSON.stringify(this.options)})`,
    );
    this.params = params;
    let offset = 0;
    for (const [name, p] of params) {
      this.slots.push({ name, shape: [...p.shape], offset, size: p.size });
      offset += p.size;
    }
    this.flat = layout === 'flat';
    const shapes = this.flat ? [[offset]] : this.slots.map((s) => s.shape);
    this.m = shapes.map((shape) => tf.variable(tf.zeros(shape), false));
    this.v = shapes.map((shape) => tf.variable(tf.zeros(shape), false));
  }

  /** Steps taken so far. */
  get step(): number {
    return this.t;
  }

  /**
   * Clips the gradients to a global L2 norm of `maxNorm` (`clipByGlobalNorm`) and applies one update
   * with `learningRate`: `computeUpdate` committed at once. Does not dispose `grads`.
   * @param grads gradient per parameter name, same shapes as the parameters
   * @returns the global gradient norm before clipping, a scalar the caller disposes
   */
  applyGradients(
    grads: ReadonlyMap<string, tf.Tensor>,
    options: Partial<ApplyGradientsOptions> = {},
  ): tf.Scalar {
    const { maxNorm } = { ...DEFAULT_APPLY_GRADIENTS_OPTIONS, ...options };
    const update = this.computeUpdate(grads, maxNorm);
    update.commit();
    return update.norm;
  }

  /**
   * One update with clipping to `maxNorm` (0 = none) at `learningRate`, computed but not written.
   * Parameters without a gradient are left alone (their moments too). Does not dispose `grads`.
   */
  computeUpdate(grads: ReadonlyMap<string, tf.Tensor>, maxNorm: number): AdamWUpdate {
    const t = this.t + 1;
    const { norm, writes, weightsFinite } = tf.tidy(() => {
      const pending = this.flat ? this.updateFlat(grads, maxNorm, t) : this.updateEach(grads, maxNorm, t);
      return {
        norm: pending.norm,
        writes: pending.writes,
        weightsFinite: allFinite(pending.weights),
      };
    });
    const free = () => tf.dispose([weightsFinite, ...writes.map(([, value]) => value)]);
    return {
      norm,
      weightsFinite,
      commit: () => {
        for (const [variable, value] of writes) variable.assign(value);
        this.t = t;
        free();
      },
      discard: free,
    };
  }

  /** m1, v1 and the new weights from m, v, weights w and clipped gradient g (any shape, all alike) at step t. */
  private adamw(m: tf.Tensor, v: tf.Tensor, w: tf.Tensor, g: tf.Tensor, t: number) {
    const { beta1, beta2, epsilon, weightDecay } = this.options;
    const lr = this.learningRate;
    const c1 = 1 - beta1 ** t;
    const c2 = 1 - beta2 ** t;
    const m1 = tf.add(tf.mul(m, beta1), tf.mul(g, 1 - beta1));
    const v1 = tf.add(tf.mul(v, beta2), tf.mul(tf.square(g), 1 - beta2));
    const update = tf.div(tf.mul(m1, lr / c1), tf.add(tf.sqrt(tf.div(v1, c2)), epsilon));
    return { m1, v1, w1: tf.sub(tf.mul(w, 1 - lr * weightDecay), update) };
  }

  private updateEach(grads: ReadonlyMap<string, tf.Tensor>, maxNorm: number, t: number): PendingUpdate {
    const { norm, scale } = clipByGlobalNorm([...grads.values()], maxNorm);
    const writes: [tf.Variable, tf.Tensor][] = [];
    const weights: tf.Tensor[] = [];
    let i = 0;
    for (const [name, p] of this.params) {
      const [m, v] = [this.m[i], this.v[i++]];
      const g = grads.get(name);
      if (!g) continue;
      const { m1, v1, w1 } = this.adamw(m, v, p, scale ? tf.mul(g, scale) : g, t);
      writes.push([m, m1], [v, v1], [p, w1]);
      weights.push(w1);
    }
    return { norm, writes, weights };
  }

  private updateFlat(grads: ReadonlyMap<string, tf.Tensor>, maxNorm: number, t: number): PendingUpdate {
    // Reshape is a kernel call on tensorflow: skip it for what is a vector already (biases, norms).
    const vector = (x: tf.Tensor) => (x.rank === 1 ? x : tf.reshape(x, [-1]));
    const [m, v] = [this.m[0], this.v[0]];
    const g = tf.concat(
      this.slots.map((s) => (grads.has(s.name) ? vector(grads.get(s.name)!) : tf.zeros([s.size]))),
    );
    const { norm, scale } = clipByGlobalNorm([g], maxNorm);
    const w = tf.concat([...this.params.values()].map(vector));
    let { m1, v1, w1 } = this.adamw(m, v, w, scale ? tf.mul(g, scale) : g, t);
    if (this.slots.some((s) => !grads.has(s.name))) {
      const has = tf.concat(this.slots.map((s) => tf.fill([s.size], grads.has(s.name) ? 1 : 0, 'bool')));
      [m1, v1, w1] = [tf.where(has, m1, m), tf.where(has, v1, v), tf.where(has, w1, w)];
    }
    const writes: [tf.Variable, tf.Tensor][] = [
      [m, m1],
      [v, v1],
    ];
    const parts = tf.split(
      w1,
      this.slots.map((s) => s.size),
    );
    let i = 0;
    for (const p of this.params.values()) {
      const part = parts[i];
      writes.push([p, p.rank === 1 ? part : tf.reshape(part, this.slots[i].shape)]);
      i++;
    }
    return { norm, writes, weights: [w1] };
  }

  /** Copies the state out (for a checkpoint), by parameter name, whatever the layout. Not on webgpu: see readState. */
  getState(): AdamWState {
    return this.stateFrom(
      this.m.map((t) => t.dataSync() as Float32Array),
      this.v.map((t) => t.dataSync() as Float32Array),
    );
  }

  /** `getState` read asynchronously, as every backend allows (webgpu reads nothing synchronously in Node). */
  async readState(): Promise<AdamWState> {
    const read = (moments: tf.Variable[]) =>
      Promise.all(moments.map(async (t) => (await t.data()) as Float32Array));
    return this.stateFrom(await read(this.m), await read(this.v));
  }

  /** The state from the moments' values (one flat vector each, or one array per parameter). */
  private stateFrom(m: Float32Array[], v: Float32Array[]): AdamWState {
    const byName = (all: Float32Array[]) =>
      new Map(
        this.slots.map((s, i) => {
          const data = this.flat ? all[0].slice(s.offset, s.offset + s.size) : all[i];
          return [s.name, { shape: [...s.shape], data }];
        }),
      );
    return { step: this.t, m: byName(m), v: byName(v) };
  }

  /** Restores a state from `getState`; its names and shapes must match the parameters. */
  setState(state: AdamWState): void {
    for (const [label, src, dst] of [
      ['m', state.m, this.m],
      ['v', state.v, this.v],
    ] as const) {
      const values = this.slots.map((s) => {
        const w = src.get(s.name);
        assert(
          w !== undefined && w.data.length === s.size,
          'BAD_DATA',
          () =>
            `AdamW.setState: ${label}[${s.name}] missing or of the wrong size (expected ${s.size} values)`,
        );
        return w.data;
      });
      if (this.flat) {
        const all = new Float32Array(dst[0].size);
        for (const [i, s] of this.slots.entries()) all.set(values[i], s.offset);
        tf.tidy(() => dst[0].assign(tf.tensor1d(all)));
      } else {
        for (const [i, t] of dst.entries()) tf.tidy(() => t.assign(tf.tensor(values[i], t.shape)));
      }
    }
    this.t = state.step;
  }

  /** Frees the moment estimates. */
  dispose(): void {
    tf.dispose([...this.m, ...this.v]);
  }
}
