import { optionName } from '@oxels/core';
import { TrainerError } from '../errors.ts';
import {
  DEFAULT_MAX_NON_FINITE,
  NON_FINITE_POLICIES,
  type NonFinitePolicy,
  type TrainRunOptions,
} from '../run/TrainConfig.ts';
import type { TrainStepResult } from './trainStep.ts';

/** Why a step's update was not written, in words: 'loss is NaN', 'gradient norm is Infinity', ... */
export function nonFiniteReason(result: TrainStepResult): string {
  if (!Number.isFinite(result.loss)) return `loss is ${result.loss}`;
  if (!Number.isFinite(result.gradNorm)) return `gradient norm is ${result.gradNorm}`;
  return `the update would make weights non-finite (gradient norm ${result.gradNorm})`;
}

/**
 * Counts a run's skipped (non-finite) steps under its `--on-nonfinite` policy and says when the run
 * must stop. The steps themselves changed nothing (`TrainStepResult.applied`): this only decides.
 */
export class NonFiniteSteps {
  /** Non-finite steps in a row, up to the last one recorded. */
  private consecutive = 0;
  /** Non-finite steps in all (this process). */
  skipped = 0;

  private readonly policy: NonFinitePolicy;
  private readonly max: number;

  /** Checks the policy options (`--on-nonfinite`, `--max-nonfinite`). */
  constructor(run: Pick<TrainRunOptions, 'onNonFinite' | 'maxNonFinite'>) {
    const { onNonFinite: policy = 'stop', maxNonFinite: max } = run;
    const bad = (what: string) => new TrainerError('BAD_ARGUMENT', `train: ${what}`);
    if (!NON_FINITE_POLICIES.includes(policy))
      throw bad(
        `${optionName('onNonfinite')} must be one of ${NON_FINITE_POLICIES.join(', ')} (got ${policy})`,
      );
    if (max !== undefined && !(Number.isInteger(max) && max >= 1))
      throw bad(`${optionName('maxNonfinite')} must be a positive integer (got ${max})`);
    if (policy === 'skip' && max !== undefined)
      throw bad(
        `${optionName('maxNonfinite')} applies to ${optionName('onNonfinite')} stop (skip never stops the run)`,
      );
    this.policy = policy;
    this.max = max ?? DEFAULT_MAX_NON_FINITE;
  }

  /**
   * Records the outcome of `step` (1-based: steps done). Returns the line to log for a skipped step,
   * null for an applied one. Throws TrainerError('NON_FINITE') naming the step and `lastCheckpoint` (the
   * run's newest checkpoint directory, null if none) when the policy stops the run here.
   */
  record(step: number, result: TrainStepResult, lastCheckpoint: string | null): string | null {
    if (result.applied) {
      this.consecutive = 0;
      return null;
    }
    this.consecutive++;
    this.skipped++;
    const reason = nonFiniteReason(result);
    if (this.policy === 'stop' && this.consecutive >= this.max) {
      const steps = `${this.consecutive} consecutive non-finite step${this.consecutive === 1 ? '' : 's'}`;
      throw new TrainerError(
        'NON_FINITE',
        `step ${step}: ${reason} (${steps}); last good checkpoint: ${lastCheckpoint ?? 'none yet'}`,
        lastCheckpoint ?? undefined,
      );
    }
    return `step ${step}: ${reason}; update skipped (${this.consecutive} in a row, ${this.skipped} in all)`;
  }
}
