import * as tf from '@tensorflow/tfjs-core';
import { sumRows } from './sumRows.ts';

/**
 * Stride-1 'same' convolution plus bias, NHWC, whose gradients are all forward convolutions or
 * matrix products. Every convolution goes through `tf.fused.conv2d`: with a filter that is new on
 * each call (as all gradient filters are), wasm's plain Conv2D kernel takes about twice as long as
 * its FusedConv2D kernel on the same problem (46-58 ms vs 22-24 ms for [32, 16, 16, 64] * 3x3x64x64). tfjs's own gradients use Conv2DBackpropFilter, which the wasm backend lacks, and
 * Conv2DBackpropInput, which wasm runs about 14x slower than a forward conv2d of the same size
 * (DESIGN.md field notes); XNNPACK's forward convolution is the fastest kernel wasm has.
 *
 * @param x input [B, H, W, Cin]
 * @param filter [k, k, Cin, Cout] (HWIO, tfjs layout), k odd
 * @param bias [Cout]
 * @param inputGrad false when nothing upstream needs dL/dx (the stem): skips that convolution
 * @returns [B, H, W, Cout]
 */
export function conv2dBias(
  x: tf.Tensor4D,
  filter: tf.Tensor4D,
  bias: tf.Tensor1D,
  inputGrad = true,
): tf.Tensor4D {
  return (inputGrad ? conv2dBiasWithInputGrad : conv2dBiasNoInputGrad)(x, filter, bias);
}

function makeConv2dBias(inputGrad: boolean) {
  return tf.customGrad((x, filter, bias, save) => {
    const xx = x as tf.Tensor4D;
    const w = filter as tf.Tensor4D;
    const k = w.shape[0];
    const value =
      k === 1
        ? conv1x1Forward(xx, w, bias as tf.Tensor1D)
        : tf.fused.conv2d({ x: xx, filter: w, bias: bias as tf.Tensor1D, strides: 1, pad: 'same' });
    (save as tf.GradSaveFunc)([xx, w]);
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sx, sw] = saved as [tf.Tensor4D, tf.Tensor4D];
        const g = dy as tf.Tensor4D;
        const dx = inputGrad ? convInputGrad(g, sw) : tf.zerosLike(sx);
        return [dx, convFilterGrad(sx, g, k), sumRows(g)];
      },
    };
  }) as (x: tf.Tensor4D, filter: tf.Tensor4D, bias: tf.Tensor1D) => tf.Tensor4D;
}

const conv2dBiasWithInputGrad = makeConv2dBias(true);
const conv2dBiasNoInputGrad = makeConv2dBias(false);

/** A 1x1 convolution is a matrix product over the flattened pixels. */
function conv1x1Forward(x: tf.Tensor4D, filter: tf.Tensor4D, bias: tf.Tensor1D): tf.Tensor4D {
  const [b, h, w, cin] = x.shape;
  const cout = filter.shape[3];
  const y = tf.fused.matMul({ a: tf.reshape(x, [b * h * w, cin]), b: tf.reshape(filter, [cin, cout]), bias });
  return tf.reshape(y, [b, h, w, cout]);
}

/**
 * dL/dx: the forward convolution of dy with the filter flipped in space and with its channel axes
 * swapped, w'[i, j, co, ci] = w[k-1-i, k-1-j, ci, co].
 */
function convInputGrad(dy: tf.Tensor4D, filter: tf.Tensor4D): tf.Tensor4D {
  const [k, , cin, cout] = filter.shape;
  if (k === 1) {
    const [b, h, w] = dy.shape;
    // matMul(a, b, false, true) is several times slower in wasm than an explicit transpose (field notes).
    const wt = tf.transpose(tf.reshape(filter, [cin, cout]));
    return tf.reshape(tf.matMul(tf.reshape(dy, [b * h * w, cout]), wt), [b, h, w, cin]);
  }
  const flipped = tf.transpose(tf.reverse(filter, [0, 1]), [0, 1, 3, 2]);
  return tf.fused.conv2d({ x: dy, filter: flipped, strides: 1, pad: 'same' });
}

/**
 * dL/dw[i, j, ci, co] = sum over b, y, x of xpad[b, y+i, x+j, ci] * dy[b, y, x, co]: a forward
 * convolution of x with channels and batch swapped ([Cin, H, W, B]) by dy used as a filter
 * ([H, W, B, Cout]), padded by (k-1)/2, giving [Cin, k, k, Cout].
 */
function convFilterGrad(x: tf.Tensor4D, dy: tf.Tensor4D, k: number): tf.Tensor4D {
  const [b, h, w, cin] = x.shape;
  const cout = dy.shape[3];
  if (k === 1) {
    const n = b * h * w;
    const xt = tf.transpose(tf.reshape(x, [n, cin]));
    return tf.reshape(tf.matMul(xt, tf.reshape(dy, [n, cout])), [1, 1, cin, cout]);
  }
  const p = (k - 1) / 2;
  const xt = tf.transpose(x, [3, 1, 2, 0]);
  const dyt = tf.transpose(dy, [1, 2, 0, 3]);
  const pad: [[number, number], [number, number], [number, number], [number, number]] = [
    [0, 0],
    [p, p],
    [p, p],
    [0, 0],
  ];
  const g = tf.fused.conv2d({ x: xt, filter: dyt, strides: 1, pad });
  return tf.transpose(g, [1, 2, 0, 3]);
}
