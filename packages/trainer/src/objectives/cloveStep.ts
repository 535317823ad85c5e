import type * as tf from '@tensorflow/tfjs-core';
import { DEFAULT_CLIP_NORM } from '../constants.ts';
import { cloveLoss, DEFAULT_CLOVE_LOSS_OPTIONS } from '../losses/cloveLoss.ts';
import { l2Normalize } from '../losses/l2Normalize.ts';
import { AttentionPredictor, DEFAULT_ATTENTION_PREDICTOR_CONFIG } from '../model/AttentionPredictor.ts';
import type { UNet } from '../model/UNet.ts';
import type { AdamW } from '../optim/AdamW.ts';
import { emaUpdate } from '../optim/emaUpdate.ts';
import { copyModel, matchedPixelsOf, teacherEmbeddings } from './objectiveUtils.ts';
import {
  applyGradientStep,
  gradientsOf,
  type LossAndGradients,
  type TrainBatch,
  type TrainStepResult,
} from './trainStep.ts';

/** CLoVE's hyperparameters (Silva et al.), as saved in a run's config. */
export interface CloveOptions {
  /** Matched pixel pairs drawn per view pair from the batch's positives. */
  matches: number;
  /** Momentum m of the EMA teacher: teacher = m teacher + (1 - m) student after each step. */
  momentum: number;
  /** Heads of the attention predictor. */
  heads: number;
  /** Temperature of the predictor's cosine attention logits. */
  attentionTemperature: number;
  /** k of the hard negative (see `cloveLoss`). */
  topK: number;
  /** Margin of the ranking loss (cosine units). */
  margin: number;
}

export const DEFAULT_CLOVE_OPTIONS: Readonly<CloveOptions> = Object.freeze({
  matches: 32,
  momentum: 0.99,
  heads: DEFAULT_ATTENTION_PREDICTOR_CONFIG.heads,
  attentionTemperature: DEFAULT_ATTENTION_PREDICTOR_CONFIG.temperature,
  topK: DEFAULT_CLOVE_LOSS_OPTIONS.topK,
  margin: DEFAULT_CLOVE_LOSS_OPTIONS.margin,
});

/** What CLoVE trains beside the student: the attention predictor (trained) and the EMA teacher. */
export interface CloveState {
  predictor: AttentionPredictor;
  /** Same architecture as the student; only ever updated by `emaUpdate`. */
  teacher: UNet;
}

/** A fresh CLoVE state: the teacher a copy of `student`, the predictor initialised from `seed`. */
export function createCloveState(
  student: UNet,
  options: Pick<CloveOptions, 'heads' | 'attentionTemperature'>,
  seed: number,
): CloveState {
  return {
    predictor: new AttentionPredictor(
      {
        channels: student.config.outChannels,
        heads: options.heads,
        temperature: options.attentionTemperature,
      },
      seed,
    ),
    teacher: copyModel(student),
  };
}

/** Frees the predictor and the teacher. */
export function disposeCloveState(state: CloveState): void {
  state.predictor.dispose();
  state.teacher.dispose();
}

/** The variables CLoVE's optimiser updates: the student's and the predictor's, by name. */
export function cloveParameters(student: UNet, state: CloveState): Map<string, tf.Variable> {
  return new Map([...student.parameters, ...state.predictor.parameters]);
}

/** Options of `cloveStep`. */
export interface CloveStepOptions extends CloveOptions {
  /** Global gradient-norm limit; 0 = no clipping. */
  clipNorm: number;
  /** Seed of this step's dropout masks and match draw; give every step its own. */
  seed: number;
}

/**
 * One CLoVE step. Draws `matches` known matches per pair (seeded); the student maps view 1 (training
 * mode), its map is L2-normalised per pixel and the predictor contextualises the matched view-1 pixels
 * over the whole map; the EMA teacher maps view 2 (inference mode, no gradient) and gives the local
 * embeddings at the matching pixels; `cloveLoss` ranks each prediction's own target above its hard
 * negative. Clipping and one AdamW update of student and predictor (`optimizer` must hold
 * `cloveParameters`), then the teacher's EMA update.
 *
 * Returns loss; `within` = mean cosine similarity to the positive, `between` = mean hard-negative
 * similarity. Creates no lasting tensors.
 */
/**
 * CLoVE's loss and its gradient for the student's and the predictor's parameters (what `cloveStep`
 * applies), with the teacher's targets of the step. The caller disposes both.
 */
export function cloveGradients(
  student: UNet,
  state: CloveState,
  batch: TrainBatch,
  options: Partial<CloveStepOptions> = {},
): { gradients: LossAndGradients; targets: tf.Tensor2D } {
  const opts = { ...DEFAULT_CLOVE_OPTIONS, seed: 0, ...options };
  const matched = matchedPixelsOf(batch, opts.matches, opts.seed);
  const targets = teacherEmbeddings(state.teacher, batch.view2, matched.rows2);
  const gradients = gradientsOf(cloveParameters(student, state), () => {
    const out = l2Normalize(student.forward(batch.view1, { training: true, seed: opts.seed }));
    const predictions = state.predictor.forward(out, matched.rows1, matched.counts);
    const terms = cloveLoss(predictions, targets, opts);
    return { loss: terms.loss, within: terms.positive, between: terms.negative };
  });
  return { gradients, targets };
}

export async function cloveStep(
  student: UNet,
  state: CloveState,
  optimizer: AdamW,
  batch: TrainBatch,
  options: Partial<CloveStepOptions> = {},
): Promise<TrainStepResult> {
  const opts = { ...DEFAULT_CLOVE_OPTIONS, clipNorm: DEFAULT_CLIP_NORM, seed: 0, ...options };
  const { gradients, targets } = cloveGradients(student, state, batch, opts);
  const result = await applyGradientStep(optimizer, gradients, opts.clipNorm);
  // A skipped step (non-finite) leaves the teacher as it was, too.
  if (result.applied) emaUpdate(state.teacher.parameters, student.parameters, opts.momentum);
  targets.dispose();
  return result;
}
