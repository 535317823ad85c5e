import { createRng, optionName } from '@oxels/core';
import * as tf from '@tensorflow/tfjs-core';
import { assert } from '../errors.ts';
import { gatherRows } from '../losses/gatherRows.ts';
import { l2Normalize } from '../losses/l2Normalize.ts';
import { UNet } from '../model/UNet.ts';
import { type MatchedPixels, selectMatchedPixels } from './selectMatchedPixels.ts';
import type { TrainBatch } from './trainStep.ts';

/**
 * `selectMatchedPixels` on a batch's host arrays (no read from the device). Throws when the batch holds
 * no usable positive at all.
 */
export function matchedPixelsOf(batch: TrainBatch, count: number, seed: number): MatchedPixels {
  const [b, h, w] = batch.view1.shape;
  const matched = selectMatchedPixels(batch.host, b, h * w, count, createRng(seed));
  assert(
    matched.rows1.length > 0,
    'BAD_DATA',
    () => `matchedPixelsOf: the batch has no valid positive sample (check ${optionName('positiveFraction')})`,
  );
  return matched;
}

/** L2-normalised rows of a descriptor map [B, H, W, C] at flat rows b * H * W + y * W + x: [M, C]. */
export function embeddingsAt(map: tf.Tensor4D, rows: Int32Array): tf.Tensor2D {
  const [b, h, w, c] = map.shape;
  return tf.tidy(() =>
    l2Normalize(gatherRows(tf.reshape(map, [b * h * w, c]) as tf.Tensor2D, tf.tensor1d(rows, 'int32'))),
  );
}

/** A copy of `model`'s architecture and weights (new variables): the start of a momentum encoder or EMA teacher. */
export function copyModel(model: UNet): UNet {
  const copy = new UNet(model.config, 0);
  copy.setWeights(model.getWeights());
  return copy;
}

/** Teacher embeddings at `rows` of view 2 (inference mode, outside any gradient tape's interest). */
export function teacherEmbeddings(teacher: UNet, view2: tf.Tensor4D, rows: Int32Array): tf.Tensor2D {
  return tf.tidy(() => embeddingsAt(teacher.forward(view2, { training: false }), rows));
}
