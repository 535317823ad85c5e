import * as tf from '@tensorflow/tfjs-core';
import { assert } from '../errors.ts';
import type { UNet } from './UNet.ts';

/**
 * Descriptor maps of RGB images of any size: each image is padded (edge replication) to the size the
 * U-Net needs (a multiple of 2^(stages - 1)) and the output cropped back. Evaluation mode (no dropout).
 * @param images [B, H, W, 3] float32 in [0, 1], as one flat array
 * @returns [B, H, W, C] float32 descriptors, C = model.config.outChannels
 */
export function describeImages(
  model: UNet,
  images: Float32Array,
  count: number,
  height: number,
  width: number,
): Float32Array {
  assert(
    images.length === count * height * width * 3,
    'BAD_ARGUMENT',
    () => `describeImages: ${images.length} values for ${count} images of ${width}x${height}x3`,
  );
  const factor = 2 ** (model.config.widths.length - 1);
  const ph = Math.ceil(height / factor) * factor - height;
  const pw = Math.ceil(width / factor) * factor - width;
  // The tensor leaves tidy and is read outside: tidy would walk a returned typed array element by element.
  const out = tf.tidy(() => {
    let x: tf.Tensor4D = tf.tensor4d(images, [count, height, width, 3]);
    if (ph || pw)
      x = tf.mirrorPad(
        x,
        [
          [0, 0],
          [0, ph],
          [0, pw],
          [0, 0],
        ],
        'symmetric',
      );
    const y = model.forward(x, { training: false });
    return ph || pw ? tf.slice(y, [0, 0, 0, 0], [count, height, width, y.shape[3]]) : y;
  });
  const data = out.dataSync() as Float32Array;
  out.dispose();
  return data;
}
