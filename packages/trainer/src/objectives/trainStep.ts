import * as tf from '@tensorflow/tfjs-core';
import { DEFAULT_CLIP_NORM, DEFAULT_OXEL_LOSS_OPTIONS, type OxelLossOptions } from '../constants.ts';
import { assert } from '../errors.ts';
import type { LossBatch } from '../data/viewPairs/LossBatch.ts';
import type { UNet } from '../model/UNet.ts';
import { type HardNegatives, mineHardNegatives } from '../losses/mineHardNegatives.ts';
import { oxelLossStacked } from '../losses/oxelLoss.ts';
import type { AdamW } from '../optim/AdamW.ts';

/**
 * One training batch: B image pairs with their sampled pixels (see `OxelLossInputs` for the index
 * and mask conventions). Owned by the caller; `trainStep` does not dispose it.
 */
export interface TrainBatch {
  /** float32 [B, H, W, inChannels], values as the model expects them (e.g. RGB in [0, 1]). */
  view1: tf.Tensor4D;
  /** float32 [B, H, W, inChannels]. */
  view2: tf.Tensor4D;
  /** int32 [B, N] flat pixel indices y * W + x in view 1. */
  idx1: tf.Tensor2D;
  /** int32 [B, N] partner pixels in view 2. */
  idx2: tf.Tensor2D;
  /** float32 [B, N] 1 = known correspondence, 0 = random partner. */
  isPositive: tf.Tensor2D;
  /** float32 [B, H, W] validity of view 1 (default all valid). */
  mask1?: tf.Tensor3D;
  /** float32 [B, H, W] validity of view 2. */
  mask2?: tf.Tensor3D;
  /** Samples whose partner is mined from this step's descriptors (`mineHardNegatives`); needs no masks. */
  hard?: HardNegatives;
  /**
   * The index, positive and mask arrays the tensors were made from, still on the host: steps that pick
   * or mine pixels on the CPU read these, never the device (a read back would stall the step, and
   * webgpu cannot read synchronously in Node). `toTrainBatch` keeps them.
   */
  host: Pick<LossBatch, 'idx1' | 'idx2' | 'isPositive' | 'mask1' | 'mask2'>;
}

/** Options of `trainStep`. */
export interface TrainStepOptions {
  loss: Partial<OxelLossOptions>;
  /** Global gradient-norm limit; 0 = no clipping. */
  clipNorm: number;
  /** Seed of this step's dropout masks; give every step its own. */
  seed: number;
}

export const DEFAULT_TRAIN_STEP_OPTIONS: Readonly<TrainStepOptions> = Object.freeze({
  loss: DEFAULT_OXEL_LOSS_OPTIONS,
  clipNorm: DEFAULT_CLIP_NORM,
  seed: 0,
});

/** What one step measured (before the update): the loss, its two terms and the gradient norm before clipping. */
export interface TrainStepResult {
  loss: number;
  within: number;
  between: number;
  gradNorm: number;
  /**
   * Whether the update was written. false: the loss, the gradient norm or a weight the update would
   * write was not finite, and the step changed nothing (`nonFiniteReason` says which).
   */
  applied: boolean;
}

/** Loss terms (scalars) and the gradient of `loss` for every model parameter; the caller disposes all. */
export interface LossAndGradients {
  loss: tf.Scalar;
  within: tf.Scalar;
  between: tf.Scalar;
  /** By parameter name, as `UNet.parameters`. */
  grads: Map<string, tf.Tensor>;
}

/**
 * Forward and backward pass of one batch: both views through the model as one batch of 2B images
 * (training mode, dropout seeded by `seed`) and the oxel loss. Changes no weights.
 */
export function lossAndGradients(
  model: UNet,
  batch: TrainBatch,
  options: Partial<Omit<TrainStepOptions, 'clipNorm'>> = {},
): LossAndGradients {
  const { loss: lossOptions, seed } = { ...DEFAULT_TRAIN_STEP_OPTIONS, ...options };
  const { view1, view2 } = batch;
  assert(
    view1.rank === 4 && view1.shape.every((d, i) => d === view2.shape[i]),
    'BAD_ARGUMENT',
    () =>
      `lossAndGradients: view1 and view2 must have the same shape [B, H, W, C] (got [${view1.shape}] and [${view2.shape}])`,
  );
  return gradientsOf(model.parameters, () => {
    const out = model.forward(tf.concat([view1, view2], 0), { training: true, seed });
    if (!batch.hard) return oxelLossStacked(out, batch, lossOptions);
    assert(
      !batch.mask2,
      'BAD_ARGUMENT',
      () => 'lossAndGradients: hard negatives need a batch without view masks',
    );
    const [b, n] = batch.idx2.shape;
    const mined = mineHardNegatives(out, batch.host.idx1, batch.host.idx2, batch.hard);
    return oxelLossStacked(out, { ...batch, idx2: tf.tensor2d(mined, [b, n], 'int32') }, lossOptions);
  });
}

/**
 * The gradient of `terms().loss` for every variable of `params`, by the same names, with the loss and the
 * two reported terms kept (for any objective: oxel's within / between, or another's positive / negative
 * similarity). The caller disposes all.
 */
export function gradientsOf(
  params: ReadonlyMap<string, tf.Variable>,
  terms: () => { loss: tf.Scalar; within: tf.Scalar; between: tf.Scalar },
): LossAndGradients {
  const names = [...params.keys()];
  const vars = [...params.values()];
  const kept: tf.Scalar[] = [];
  const { value, grads } = tf.variableGrads(() => {
    const t = terms();
    kept.push(tf.keep(t.within), tf.keep(t.between));
    return t.loss;
  }, vars);
  return {
    loss: value,
    within: kept[0],
    between: kept[1],
    grads: new Map(names.map((name, i) => [name, grads[vars[i].name]])),
  };
}

/**
 * Global-norm clipping and an AdamW update with `g.grads`, written only when the loss, the gradient norm
 * and every new weight are finite; the step's numbers are read from the device at once, before the
 * write (the one read a step makes either way; asynchronous, as webgpu requires). Disposes every
 * tensor of `g`.
 */
export async function applyGradientStep(
  optimizer: AdamW,
  g: LossAndGradients,
  clipNorm: number,
): Promise<TrainStepResult> {
  const update = optimizer.computeUpdate(g.grads, clipNorm);
  const numbers = tf.tidy(() =>
    tf.stack([g.loss, g.within, g.between, update.norm, tf.cast(update.weightsFinite, 'float32')]),
  );
  const [loss, within, between, gradNorm, weightsFinite] = await numbers.data();
  const applied = Number.isFinite(loss) && Number.isFinite(gradNorm) && weightsFinite === 1;
  if (applied) update.commit();
  else update.discard();
  tf.dispose([numbers, g.loss, g.within, g.between, update.norm, ...g.grads.values()]);
  return { loss, within, between, gradNorm, applied };
}

/**
 * One optimisation step: `lossAndGradients`, global-norm clipping, and an AdamW update at
 * `optimizer.learningRate`. Creates no lasting tensors: `tf.memory().numTensors` is the same before
 * and after. Reads the device once, before the update is written, for the numbers it returns.
 */
export function trainStep(
  model: UNet,
  optimizer: AdamW,
  batch: TrainBatch,
  options: Partial<TrainStepOptions> = {},
): Promise<TrainStepResult> {
  const opts = { ...DEFAULT_TRAIN_STEP_OPTIONS, ...options };
  return applyGradientStep(optimizer, lossAndGradients(model, batch, opts), opts.clipNorm);
}
