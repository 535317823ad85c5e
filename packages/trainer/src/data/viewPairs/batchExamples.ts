import { optionName } from '@oxels/core';
import { assert } from '../../errors.ts';
import type { LossBatch } from './LossBatch.ts';
import type { ViewPairExample } from './sampleViewPair.ts';

/**
 * Stacks examples of one size and sample count into a LossBatch; `hardRadius` goes with the examples'
 * mined samples, if any.
 */
export function batchExamples(examples: ViewPairExample[], hardRadius: number): LossBatch {
  assert(examples.length > 0, 'BAD_ARGUMENT', () => 'batchExamples: no examples');
  const { width, height } = examples[0];
  const n = examples[0].idx1.length;
  const hw3 = width * height * 3;
  const b = examples.length;
  const batch: LossBatch = {
    batchSize: b,
    width,
    height,
    samples: n,
    view1: new Float32Array(b * hw3),
    view2: new Float32Array(b * hw3),
    idx1: new Int32Array(b * n),
    idx2: new Int32Array(b * n),
    isPositive: new Uint8Array(b * n),
  };
  examples.forEach((e, i) => {
    assert(
      e.width === width && e.height === height && e.idx1.length === n,
      'BAD_ARGUMENT',
      () =>
        `batchExamples: example ${i} is ${e.width}x${e.height} with ${e.idx1.length} samples, expected ${width}x${height} with ${n} (use ${optionName('crop')} when shards differ in size)`,
    );
    batch.view1.set(e.view1, i * hw3);
    batch.view2.set(e.view2, i * hw3);
    batch.idx1.set(e.idx1, i * n);
    batch.idx2.set(e.idx2, i * n);
    batch.isPositive.set(e.isPositive, i * n);
    if (e.mined) {
      batch.hard ??= { mined: new Uint8Array(b * n), radius: hardRadius };
      batch.hard.mined.set(e.mined, i * n);
    }
  });
  return batch;
}
