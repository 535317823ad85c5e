import * as tf from '@tensorflow/tfjs-core';
import type { LossBatch } from './viewPairs/LossBatch.ts';
import type { TrainBatch } from '../objectives/trainStep.ts';

/** The tensors of a LossBatch for `trainStep`, with its host arrays kept (the caller disposes them). */
export function toTrainBatch(b: LossBatch): TrainBatch {
  const { batchSize: n, height: h, width: w, samples } = b;
  const batch: TrainBatch = {
    view1: tf.tensor4d(b.view1, [n, h, w, 3]),
    view2: tf.tensor4d(b.view2, [n, h, w, 3]),
    idx1: tf.tensor2d(b.idx1, [n, samples], 'int32'),
    idx2: tf.tensor2d(b.idx2, [n, samples], 'int32'),
    isPositive: tf.tensor2d(Float32Array.from(b.isPositive), [n, samples]),
    host: { idx1: b.idx1, idx2: b.idx2, isPositive: b.isPositive, mask1: b.mask1, mask2: b.mask2 },
  };
  if (b.mask1 && b.mask2) {
    batch.mask1 = tf.tensor3d(Float32Array.from(b.mask1), [n, h, w]);
    batch.mask2 = tf.tensor3d(Float32Array.from(b.mask2), [n, h, w]);
  }
  if (b.hard) batch.hard = b.hard;
  return batch;
}

/** Disposes the tensors of a batch from `toTrainBatch` (its `hard` and `host` arrays are plain data). */
export function disposeTrainBatch(batch: TrainBatch): void {
  const { hard: _, host: __, ...tensors } = batch;
  tf.dispose(Object.values(tensors));
}
