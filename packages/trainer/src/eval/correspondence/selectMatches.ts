import { CorrespondenceStatus, type Rng, sampleWithoutReplacement } from '@oxels/core';
import type { ViewPairSample } from '@oxels/dataset';
import { assert } from '../../errors.ts';
import type { GroundTruthMatches } from './correspondenceBenchmark.ts';

/**
 * The ground-truth MATCH samples of a view pair (docs/architecture.md#correspondence-map), at most
 * `maxQueries` of them: all when there are that few, else a uniform subsample drawn without replacement
 * from `rng` (in the order of the stored samples). Subsampling bounds the cost of the all-pixels search
 * at 640x480 (307k candidates per query). Pure.
 * @param maxQueries at most this many matches; Infinity = all
 */
export function selectMatches(sample: ViewPairSample, maxQueries: number, rng: Rng): GroundTruthMatches {
  assert(
    maxQueries === Number.POSITIVE_INFINITY || (Number.isInteger(maxQueries) && maxQueries > 0),
    'BAD_ARGUMENT',
    () => `selectMatches: maxQueries must be a positive integer or Infinity (got ${maxQueries})`,
  );
  const all: number[] = [];
  for (let k = 0; k < sample.status.length; k++) {
    if (sample.status[k] === CorrespondenceStatus.MATCH) all.push(k);
  }
  const chosen =
    all.length <= maxQueries
      ? all
      : Array.from(sampleWithoutReplacement(all.length, maxQueries, rng), (i) => all[i]);
  const aIndex = new Int32Array(chosen.length);
  const bXY = new Float32Array(2 * chosen.length);
  chosen.forEach((k, i) => {
    aIndex[i] = sample.aIndex[k];
    bXY[2 * i] = sample.bXY[2 * k];
    bXY[2 * i + 1] = sample.bXY[2 * k + 1];
  });
  return { aIndex, bXY };
}
