import { createRng } from '@oxels/core';
import type { LossBatch } from './LossBatch.ts';

/**
 * A batch of seeded noise for benchmarks and backend comparisons, shaped as the samplers' batches:
 * `pairs` pairs of `size` x `size` images with values in [0, 1], N = size^2 / 8 sampled pixels per
 * pair with random partners, every 8th of them a positive. The same seed gives the same batch.
 */
export function syntheticLossBatch(pairs: number, size: number, seed: number): LossBatch {
  const rng = createRng(seed);
  const hw = size * size;
  const n = hw / 8;
  const image = () => Float32Array.from({ length: pairs * hw * 3 }, () => rng.next());
  const pixels = () => Int32Array.from({ length: pairs * n }, () => rng.int(hw));
  return {
    batchSize: pairs,
    width: size,
    height: size,
    samples: n,
    view1: image(),
    view2: image(),
    idx1: pixels(),
    idx2: pixels(),
    isPositive: Uint8Array.from({ length: pairs * n }, (_, i) => (i % 8 === 0 ? 1 : 0)),
  };
}
