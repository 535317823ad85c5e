import { DEFAULT_ONE_CYCLE_OPTIONS, type OneCycleOptions } from '../constants.ts';
import { assert } from '../errors.ts';

/**
 * Learning rate of a one-cycle schedule (Smith & Topin 2019) at `step` of `totalSteps`: linear
 * warm-up from `initialFraction * peakRate` to `peakRate` over the first round(warmupFraction *
 * totalSteps) steps, then cosine annealing down to `finalFraction * peakRate` at the last step.
 * With `decayFraction` < 1 the annealing takes only the last round(decayFraction * totalSteps) steps
 * and the rate holds at its peak until then (warm-up, stable, decay: Hägele et al. 2024).
 * @param step 0-based; steps past the end keep the final rate
 */
export function oneCycleRate(
  step: number,
  totalSteps: number,
  options: Partial<OneCycleOptions> = {},
): number {
  const { peakRate, warmupFraction, decayFraction, initialFraction, finalFraction } = {
    ...DEFAULT_ONE_CYCLE_OPTIONS,
    ...options,
  };
  assert(
    Number.isInteger(totalSteps) && totalSteps >= 1 && step >= 0,
    'BAD_ARGUMENT',
    () => `oneCycleRate: need totalSteps >= 1 and step >= 0 (got step ${step} of ${totalSteps})`,
  );
  assert(
    warmupFraction >= 0 && warmupFraction < 1,
    'BAD_ARGUMENT',
    () => `oneCycleRate: warmupFraction must lie in [0, 1) (got ${warmupFraction})`,
  );
  assert(
    decayFraction > 0 && decayFraction <= 1,
    'BAD_ARGUMENT',
    () => `oneCycleRate: decayFraction must lie in (0, 1] (got ${decayFraction})`,
  );
  const warmup = Math.round(warmupFraction * totalSteps);
  if (step < warmup) return peakRate * (initialFraction + ((1 - initialFraction) * step) / warmup);
  const decayStart = decayStartStep(totalSteps, { warmupFraction, decayFraction });
  const decaySteps = totalSteps - 1 - decayStart;
  const progress = decaySteps <= 0 ? 0 : Math.max(0, Math.min(1, (step - decayStart) / decaySteps));
  return peakRate * (finalFraction + ((1 - finalFraction) * (1 + Math.cos(Math.PI * progress))) / 2);
}

/**
 * The step at which `oneCycleRate` leaves its peak: until then a run of `totalSteps` has trained exactly
 * as a longer or shorter run with the same warm-up and peak would have (the warm-up length aside).
 */
export function decayStartStep(
  totalSteps: number,
  options: Partial<Pick<OneCycleOptions, 'warmupFraction' | 'decayFraction'>> = {},
): number {
  const { warmupFraction, decayFraction } = { ...DEFAULT_ONE_CYCLE_OPTIONS, ...options };
  const warmup = Math.round(warmupFraction * totalSteps);
  return Math.max(warmup, totalSteps - Math.round(decayFraction * totalSteps));
}
