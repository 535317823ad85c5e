import { optionName } from '@oxels/core';
import { TrainerError } from '../errors.ts';
import { UNet } from '../model/UNet.ts';
import { loadCheckpoint, loadLatestCheckpoint } from './checkpoint.ts';
import { modelConfig } from './runTraining.ts';
import { savedConfig } from './savedConfig.ts';
import type { TrainConfig } from './TrainConfig.ts';

/** A trained run, ready for inference. Dispose the model when done. */
export interface LoadedRun {
  runDir: string;
  config: TrainConfig;
  /** Steps trained. */
  step: number;
  model: UNet;
}

/**
 * Loads a run's config and the weights of its latest checkpoint (or of the one after `step` steps) into a
 * U-Net on the current tfjs backend (initialise one first, e.g. with `initBackend`). Throws
 * TrainerError('NOT_FOUND') naming the directory when it holds no run or no such checkpoint.
 */
export function loadRun(runDir: string, step?: number): LoadedRun {
  const config = savedConfig(runDir);
  if (!config) {
    throw new TrainerError(
      'NOT_FOUND',
      `loadRun: ${runDir} holds no training run (no config.json; see pnpm train ${optionName('out')})`,
      runDir,
    );
  }
  const checkpoint = step === undefined ? loadLatestCheckpoint(runDir) : loadCheckpoint(runDir, step);
  if (!checkpoint) {
    throw new TrainerError(
      'NOT_FOUND',
      `loadRun: ${runDir} has no checkpoint yet (checkpoints/latest.json)`,
      runDir,
    );
  }
  const model = new UNet(modelConfig(config), config.seed);
  model.setWeights(checkpoint.weights);
  return { runDir, config, step: checkpoint.step, model };
}
