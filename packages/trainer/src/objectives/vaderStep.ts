import { createRng } from '@oxels/core';
import * as tf from '@tensorflow/tfjs-core';
import { DEFAULT_CLIP_NORM } from '../constants.ts';
import { assert } from '../errors.ts';
import { l2Normalize } from '../losses/l2Normalize.ts';
import { DEFAULT_VADER_LOSS_OPTIONS, vaderLoss } from '../losses/vaderLoss.ts';
import type { UNet } from '../model/UNet.ts';
import type { AdamW } from '../optim/AdamW.ts';
import { emaUpdate } from '../optim/emaUpdate.ts';
import { copyModel, embeddingsAt, matchedPixelsOf, teacherEmbeddings } from './objectiveUtils.ts';
import {
  applyGradientStep,
  gradientsOf,
  type LossAndGradients,
  type TrainBatch,
  type TrainStepResult,
} from './trainStep.ts';

/** VADeR's hyperparameters (Pinheiro et al. 2020), as saved in a run's config. */
export interface VaderOptions {
  /** Matched pixel pairs drawn per view pair from the batch's positives. */
  matches: number;
  /** InfoNCE temperature. */
  temperature: number;
  /** Momentum m of the key encoder: key = m key + (1 - m) query after each step. */
  momentum: number;
  /** Negatives kept in the queue (the newest keys). */
  queueSize: number;
}

export const DEFAULT_VADER_OPTIONS: Readonly<VaderOptions> = Object.freeze({
  matches: 32,
  temperature: DEFAULT_VADER_LOSS_OPTIONS.temperature,
  momentum: 0.999,
  queueSize: 4096,
});

/** What VADeR trains beside the student: the momentum (key) encoder and the queue of negatives. */
export interface VaderState {
  /** Key encoder, same architecture as the student; only ever updated by `emaUpdate`. */
  teacher: UNet;
  /** float32 [queueSize, C] L2-normalised keys, newest first. */
  queue: tf.Variable<tf.Rank.R2>;
}

/**
 * A fresh VADeR state: the key encoder a copy of `student`, the queue filled with random unit vectors
 * (as MoCo's initial queue) drawn from `seed`. Dispose with `disposeVaderState`.
 */
export function createVaderState(student: UNet, queueSize: number, seed: number): VaderState {
  assert(
    Number.isInteger(queueSize) && queueSize >= 1,
    'BAD_ARGUMENT',
    () => `createVaderState: queueSize must be a positive integer (got ${queueSize})`,
  );
  const c = student.config.outChannels;
  const rng = createRng(seed);
  const values = Float32Array.from({ length: queueSize * c }, () => rng.normal());
  const queue = tf.variable(
    tf.tidy(() => l2Normalize(tf.tensor2d(values, [queueSize, c]))),
    false,
  ) as tf.Variable<tf.Rank.R2>;
  return { teacher: copyModel(student), queue };
}

/** Frees the key encoder and the queue. */
export function disposeVaderState(state: VaderState): void {
  state.teacher.dispose();
  state.queue.dispose();
}

/** Options of `vaderStep`. */
export interface VaderStepOptions extends VaderOptions {
  /** Global gradient-norm limit; 0 = no clipping. */
  clipNorm: number;
  /** Seed of this step's dropout masks and match draw; give every step its own. */
  seed: number;
}

/**
 * One VADeR step. Draws `matches` known matches per pair (seeded); queries are the student's
 * L2-normalised descriptors at the view-1 pixels (training mode), keys the key encoder's at the matching
 * view-2 pixels (inference mode, no gradient); InfoNCE against the queue (`vaderLoss`); clipping and an
 * AdamW update of the student; then the key encoder's momentum update and the enqueue of this step's
 * keys (the oldest fall out). The embedding is the U-Net's C-channel output itself, L2-normalised (no
 * projection head), so the trained run's descriptors are what the loss saw, up to scale.
 *
 * Returns loss; `within` = mean cosine similarity to the positive key, `between` = mean cosine
 * similarity to the queue. Creates no lasting tensors.
 */
/**
 * VADeR's loss and its gradient for the student's parameters (what `vaderStep` applies), with the
 * teacher's keys of the step (which then enter the queue). The caller disposes both.
 */
export function vaderGradients(
  student: UNet,
  state: VaderState,
  batch: TrainBatch,
  options: Partial<VaderStepOptions> = {},
): { gradients: LossAndGradients; keys: tf.Tensor2D } {
  const opts = { ...DEFAULT_VADER_OPTIONS, seed: 0, ...options };
  const matched = matchedPixelsOf(batch, opts.matches, opts.seed);
  const keys = teacherEmbeddings(state.teacher, batch.view2, matched.rows2);
  const gradients = gradientsOf(student.parameters, () => {
    const out = student.forward(batch.view1, { training: true, seed: opts.seed });
    const terms = vaderLoss(embeddingsAt(out, matched.rows1), keys, state.queue, opts);
    return { loss: terms.loss, within: terms.positive, between: terms.negative };
  });
  return { gradients, keys };
}

export async function vaderStep(
  student: UNet,
  state: VaderState,
  optimizer: AdamW,
  batch: TrainBatch,
  options: Partial<VaderStepOptions> = {},
): Promise<TrainStepResult> {
  const opts = { ...DEFAULT_VADER_OPTIONS, clipNorm: DEFAULT_CLIP_NORM, seed: 0, ...options };
  const { gradients, keys } = vaderGradients(student, state, batch, opts);
  const result = await applyGradientStep(optimizer, gradients, opts.clipNorm);
  // A skipped step (non-finite) leaves the key encoder and the queue as they were, too.
  if (result.applied) {
    emaUpdate(state.teacher.parameters, student.parameters, opts.momentum);
    const size = state.queue.shape[0];
    tf.tidy(() => {
      const all = tf.concat([keys, state.queue], 0);
      state.queue.assign(tf.slice(all, [0, 0], [size, all.shape[1]]));
    });
  }
  keys.dispose();
  return result;
}
