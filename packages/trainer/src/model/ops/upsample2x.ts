import * as tf from '@tensorflow/tfjs-core';
import { opFormulations } from '../../backend/opFormulations.ts';

/**
 * Nearest-neighbour 2x upsampling, [B, h, w, C] -> [B, 2h, 2w, C], whose gradient (the sum of each
 * 2x2 block of dy) is computed as 4 * avgPool(dy, 2). tfjs-backend-cpu 4.22's ResizeNearestNeighborGrad
 * is wrong for batches of more than one image (every image after the first gets wrong sums; the wasm
 * kernel is right), and XNNPACK's pooling is the faster kernel on wasm anyway.
 */
export function upsample2x(x: tf.Tensor4D): tf.Tensor4D {
  // A backend whose ResizeNearestNeighborGrad is right and fast enough (opFormulations).
  if (opFormulations().upsampleGradient === 'native') {
    return tf.image.resizeNearestNeighbor(x, [x.shape[1] * 2, x.shape[2] * 2]);
  }
  return tf.customGrad((xi) => {
    const input = xi as tf.Tensor4D;
    return {
      value: tf.image.resizeNearestNeighbor(input, [input.shape[1] * 2, input.shape[2] * 2]),
      // tidy: frees the pooled temporary now rather than at the end of the backward pass.
      gradFunc: (dy: tf.Tensor) => tf.tidy(() => tf.mul(tf.avgPool(dy as tf.Tensor4D, 2, 2, 'valid'), 4)),
    };
  })(x) as tf.Tensor4D;
}
