import type { LossNorm } from '../../constants.ts';
import { assert } from '../../errors.ts';
import type { DescriptorMap } from './descriptorMaps.ts';
import { nearestNeighbours } from './nearestNeighbours.ts';

/** Ground-truth correspondences of one view pair: pixel aIndex[m] of A is seen at bXY[m] in B. */
export interface GroundTruthMatches {
  /** int32 [M] flat pixel indices y * W + x of A. */
  aIndex: Int32Array;
  /**
   * float32 [M, 2] subpixel (u, v) in B, pixel units, origin at B's top-left corner
   * (docs/architecture.md#pixel-coordinates).
   */
  bXY: Float32Array;
}

/** PCK thresholds of the correspondence benchmark, in pixels (docs/architecture.md#evaluation). */
export const DEFAULT_PCK_THRESHOLDS: readonly number[] = Object.freeze([1, 2, 4, 8, 16]);

/** Summary of nearest-neighbour matching errors. */
export interface CorrespondenceMetrics {
  /** Number of query matches the numbers are over. */
  queries: number;
  /** Median pixel error (NaN when there are no queries). */
  medianError: number;
  meanError: number;
  /** Percentage of correct keypoints: fraction of queries with error <= t px, keyed by t (e.g. '4'). */
  pck: Record<string, number>;
}

/**
 * Pixel errors of nearest-neighbour matching on one view pair: each match's A descriptor is searched over
 * all of B (`nearestNeighbours`, the loss's `norm`), and the error is the distance in pixels from the
 * centre (x + 0.5, y + 0.5) of the found pixel to the true subpixel position in B. Pure.
 * @returns float32 [M] errors in pixels, in the order of `matches`
 */
export function matchErrors(
  mapA: DescriptorMap,
  mapB: DescriptorMap,
  matches: GroundTruthMatches,
  norm: LossNorm,
): Float32Array {
  const m = matches.aIndex.length;
  assert(
    matches.bXY.length === 2 * m,
    'BAD_ARGUMENT',
    () => `matchErrors: bXY holds ${matches.bXY.length} values for ${m} matches (expected ${2 * m})`,
  );
  const found = nearestNeighbours(mapA, matches.aIndex, mapB, norm);
  const errors = new Float32Array(m);
  const w = mapB.width;
  for (let i = 0; i < m; i++) {
    const x = (found[i] % w) + 0.5;
    const y = Math.floor(found[i] / w) + 0.5;
    errors[i] = Math.hypot(x - matches.bXY[2 * i], y - matches.bXY[2 * i + 1]);
  }
  return errors;
}

/**
 * Median, mean and PCK of pixel errors (pooled over however many pairs they come from). Pure.
 * @param thresholds PCK thresholds in pixels; an error counts as correct when error <= t
 */
export function summarizeErrors(
  errors: Float32Array,
  thresholds: readonly number[] = DEFAULT_PCK_THRESHOLDS,
): CorrespondenceMetrics {
  const n = errors.length;
  const sorted = Float32Array.from(errors).sort();
  const median = n === 0 ? Number.NaN : n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  let sum = 0;
  for (const e of errors) sum += e;
  const pck: Record<string, number> = {};
  for (const t of thresholds) {
    let count = 0;
    for (const e of errors) if (e <= t) count++;
    pck[String(t)] = n ? count / n : Number.NaN;
  }
  return { queries: n, medianError: median, meanError: n ? sum / n : Number.NaN, pck };
}

/**
 * The correspondence benchmark of one view pair (docs/architecture.md#evaluation): nearest-neighbour
 * matching of every given ground-truth match over all of B, summarised as median error and PCK. Pure.
 */
export function correspondenceBenchmark(
  mapA: DescriptorMap,
  mapB: DescriptorMap,
  matches: GroundTruthMatches,
  options: { norm: LossNorm; thresholds?: readonly number[] },
): CorrespondenceMetrics {
  return summarizeErrors(matchErrors(mapA, mapB, matches, options.norm), options.thresholds);
}
