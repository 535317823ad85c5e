import { optionName } from '@oxels/core';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { TrainerError } from '../errors.ts';
import { readWeights } from '../model/readWeights.ts';
import type { UNet, WeightArray } from '../model/UNet.ts';
import type { AdamW } from '../optim/AdamW.ts';
import { cloveParameters, cloveStep, createCloveState, disposeCloveState } from './cloveStep.ts';
import { readCheckpointTensors } from '../run/checkpoint.ts';
import { encodeSafetensors } from '../run/safetensors.ts';
import type { TrainConfig, TrainObjectiveName } from '../run/TrainConfig.ts';
import type { LossBatch } from '../data/viewPairs/LossBatch.ts';
import type { ReplicaPool } from '../parallel/ReplicaPool.ts';
import { disposeTrainBatch, toTrainBatch } from '../data/toTrainBatch.ts';
import { applyGradientStep, type TrainBatch, type TrainStepResult, trainStep } from './trainStep.ts';
import { createVaderState, disposeVaderState, vaderStep } from './vaderStep.ts';

/**
 * One objective of a run, with whatever it trains or tracks beside the student U-Net (momentum encoder
 * and queue for VADeR, predictor and EMA teacher for CLoVE) and how that state goes into a checkpoint.
 */
export interface TrainObjective {
  readonly name: TrainObjectiveName;
  /** Every variable the optimiser updates, by name (the student's, plus a predictor's). */
  readonly parameters: ReadonlyMap<string, tf.Variable>;
  /** One optimisation step at `optimizer.learningRate`; creates no lasting tensors. */
  step(optimizer: AdamW, batch: LossBatch, seed: number): Promise<TrainStepResult>;
  /** The extra state as checkpoint files (name -> bytes): none for oxel. Read asynchronously (webgpu). */
  checkpointFiles(): Promise<Map<string, Uint8Array>>;
  /** Restores the extra state from a checkpoint directory written with `checkpointFiles`. */
  restore(dir: string): void;
  /**
   * Brings the student's variables and the optimiser's state up to date where the objective keeps
   * them elsewhere (the whole-step graph's session); called before a checkpoint and at the end.
   */
  sync?(optimizer: AdamW): Promise<void>;
  dispose(): void;
}

const weightsFile = (weights: ReadonlyMap<string, WeightArray>) => encodeSafetensors(weights);
const readWeightsFile = (dir: string, name: string) => readCheckpointTensors(dir, name).tensors;

/** `step` on the tensors of `batch`, disposed afterwards. */
async function onTensors(
  batch: LossBatch,
  step: (tensors: TrainBatch) => Promise<TrainStepResult>,
): Promise<TrainStepResult> {
  const tensors = toTrainBatch(batch);
  try {
    return await step(tensors);
  } finally {
    disposeTrainBatch(tensors);
  }
}

/**
 * The objective `config.objective` around `student`: `oxel` (the paper's loss, `trainStep`, or split over
 * `replicas` when given), `vader` (`vaderStep`; checkpoint files teacher.safetensors + queue.safetensors)
 * or `clove` (`cloveStep`; teacher.safetensors + predictor.safetensors). Extra state is initialised from
 * `config.seed`.
 */
export function createTrainObjective(
  config: Pick<TrainConfig, 'objective' | 'norm' | 'lambda' | 'clipNorm' | 'vader' | 'clove' | 'seed'>,
  student: UNet,
  replicas?: ReplicaPool,
): TrainObjective {
  switch (config.objective) {
    case 'oxel': {
      const loss = { norm: config.norm, lambda: config.lambda };
      return {
        name: 'oxel',
        parameters: student.parameters,
        step: async (optimizer, batch, seed) =>
          replicas
            ? applyGradientStep(
                optimizer,
                await replicas.lossAndGradients(student, batch, { loss, seed }),
                config.clipNorm,
              )
            : onTensors(batch, (t) =>
                trainStep(student, optimizer, t, { loss, clipNorm: config.clipNorm, seed }),
              ),
        checkpointFiles: async () => new Map(),
        restore: () => {},
        dispose: () => {},
      };
    }
    case 'vader': {
      const state = createVaderState(student, config.vader.queueSize, config.seed + 1);
      return {
        name: 'vader',
        parameters: student.parameters,
        step: async (optimizer, batch, seed) =>
          onTensors(batch, (t) =>
            vaderStep(student, state, optimizer, t, { ...config.vader, clipNorm: config.clipNorm, seed }),
          ),
        checkpointFiles: async () =>
          new Map([
            ['teacher.safetensors', weightsFile(await readWeights(state.teacher.parameters))],
            ['queue.safetensors', weightsFile(await readWeights(new Map([['queue', state.queue]])))],
          ]),
        restore: (dir) => {
          state.teacher.setWeights(readWeightsFile(dir, 'teacher.safetensors'));
          const queue = readWeightsFile(dir, 'queue.safetensors').get('queue');
          if (!queue || queue.data.length !== state.queue.size) {
            throw new TrainerError(
              'BAD_DATA',
              `train ${optionName('resume')}: ${join(dir, 'queue.safetensors')} holds no queue of ${state.queue.shape.join('x')} values`,
              dir,
            );
          }
          tf.tidy(() => state.queue.assign(tf.tensor2d(queue.data, state.queue.shape)));
        },
        dispose: () => disposeVaderState(state),
      };
    }
    case 'clove': {
      const state = createCloveState(student, config.clove, config.seed + 1);
      return {
        name: 'clove',
        parameters: cloveParameters(student, state),
        step: async (optimizer, batch, seed) =>
          onTensors(batch, (t) =>
            cloveStep(student, state, optimizer, t, { ...config.clove, clipNorm: config.clipNorm, seed }),
          ),
        checkpointFiles: async () =>
          new Map([
            ['teacher.safetensors', weightsFile(await readWeights(state.teacher.parameters))],
            ['predictor.safetensors', weightsFile(await readWeights(state.predictor.parameters))],
          ]),
        restore: (dir) => {
          state.teacher.setWeights(readWeightsFile(dir, 'teacher.safetensors'));
          state.predictor.setWeights(readWeightsFile(dir, 'predictor.safetensors'));
        },
        dispose: () => disposeCloveState(state),
      };
    }
  }
}
