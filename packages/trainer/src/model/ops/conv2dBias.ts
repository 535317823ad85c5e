import * as tf from '@tensorflow/tfjs-core';
import { opFormulations } from '../../backend/opFormulations.ts';
import { sumRows } from './sumRows.ts';

/**
 * Stride-1 'same' convolution plus optional bias, NHWC. On wasm its gradients are all forward
 * convolutions or matrix products. tfjs's own gradients use Conv2DBackpropFilter, which the wasm backend lacks,
 * and Conv2DBackpropInput, which wasm runs about 14x slower than a forward conv2d of the same size
 * (measured on tfjs 4.22); XNNPACK's forward convolution is the fastest kernel wasm has. Every
 * convolution goes through `tf.fused.conv2d`: with a filter that is new on each call (as all
 * gradient filters are), wasm's plain Conv2D kernel takes about twice as long as its FusedConv2D
 * kernel on the same problem (46-58 ms vs 22-24 ms for [32, 16, 16, 64] * 3x3x64x64).
 *
 * @param x input [B, H, W, Cin]
 * @param filter [k, k, Cin, Cout] (HWIO, tfjs layout), k odd
 * @param bias [Cout], or null for none
 * @param inputGrad false when nothing upstream needs dL/dx (the stem): skips that convolution
 * @returns [B, H, W, Cout]
 */
export function conv2dBias(
  x: tf.Tensor4D,
  filter: tf.Tensor4D,
  bias: tf.Tensor1D | null,
  inputGrad = true,
): tf.Tensor4D {
  // libtensorflow has native Conv2DBackpropInput/Filter (oneDNN), 25-40% faster there than the
  // forward-convolution gradients below, which exist for wasm.
  if (opFormulations().convGradients === 'native') {
    return tf.fused.conv2d({ x, filter, bias: bias ?? undefined, strides: 1, pad: 'same' });
  }
  if (bias === null) return (inputGrad ? convWithInputGrad : convNoInputGrad)(x, filter);
  return (inputGrad ? convBiasWithInputGrad : convBiasNoInputGrad)(x, filter, bias);
}

function makeConv2d(inputGrad: boolean, withBias: boolean) {
  return tf.customGrad((...args) => {
    const xx = args[0] as tf.Tensor4D;
    const w = args[1] as tf.Tensor4D;
    const bias = withBias ? (args[2] as tf.Tensor1D) : undefined;
    const save = args[withBias ? 3 : 2] as tf.GradSaveFunc;
    const k = w.shape[0];
    const value =
      k === 1
        ? conv1x1Forward(xx, w, bias)
        : tf.fused.conv2d({ x: xx, filter: w, bias, strides: 1, pad: 'same' });
    save([xx, w]);
    return {
      value,
      // tidy: see normSilu.
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) =>
        tf.tidy(() => {
          const [sx, sw] = saved as [tf.Tensor4D, tf.Tensor4D];
          const g = dy as tf.Tensor4D;
          const dx = inputGrad ? convInputGrad(g, sw) : tf.zerosLike(sx);
          const dw =
            opFormulations().convGradients === 'matMul'
              ? convFilterGradByMatMul(sx, g, k)
              : convFilterGrad(sx, g, k);
          return withBias ? [dx, dw, sumRows(g)] : [dx, dw];
        }),
    };
  });
}

const convBiasWithInputGrad = makeConv2d(true, true);
const convBiasNoInputGrad = makeConv2d(false, true);
const convWithInputGrad = makeConv2d(true, false);
const convNoInputGrad = makeConv2d(false, false);

/** A 1x1 convolution is a matrix product over the flattened pixels. */
function conv1x1Forward(x: tf.Tensor4D, filter: tf.Tensor4D, bias?: tf.Tensor1D): tf.Tensor4D {
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
  // The spatial flip as a product with the k^2 x k^2 exchange matrix: wasm's Reverse kernel takes
  // 1.2-1.6 ms on a 3x3x64x64 filter, the matrix product 0.05 ms (and it is exact).
  const rows = tf.matMul(exchangeMatrix(k * k), tf.reshape(filter, [k * k, cin * cout]));
  const flipped = tf.transpose(tf.reshape(rows, [k, k, cin, cout]), [0, 1, 3, 2]) as tf.Tensor4D;
  return tf.fused.conv2d({ x: dy, filter: flipped, strides: 1, pad: 'same' });
}

/**
 * n x n matrices with ones on the anti-diagonal, by backend and size; kept for the life of the
 * process. By backend: a tensor lives on the backend that made it, and one process may switch (the
 * parity tests do); webgpu cannot hand its data to another backend synchronously.
 */
const exchangeMatrices = new Map<string, tf.Tensor2D>();

/** The n x n exchange matrix J (J[i, n-1-i] = 1): J x reverses the rows of x. */
function exchangeMatrix(n: number): tf.Tensor2D {
  const key = `${tf.getBackend()}:${n}`;
  let j = exchangeMatrices.get(key);
  if (j === undefined || j.isDisposed) {
    const values = new Float32Array(n * n);
    for (let i = 0; i < n; i++) values[i * n + (n - 1 - i)] = 1;
    j = tf.keep(tf.tensor2d(values, [n, n]));
    exchangeMatrices.set(key, j);
  }
  return j;
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

/**
 * dL/dw as the im2col product taken one kernel offset at a time: dL/dw[i, j] = xpad[:, i:i+H, j:j+W, :]^T
 * dy over all B*H*W pixels, a [Cin, Cout] matrix product whose inner dimension is the whole batch.
 * On a GPU this is the fast form: tfjs-webgpu splits such a long inner dimension over workgroups
 * (MatMulSplitK), where its Conv2DBackpropFilter runs one thread per weight over the whole batch and
 * the forward-convolution form above tiles a 3x3 output. Memory stays at one shifted copy of x
 * (a full im2col matrix would hold k^2).
 */
function convFilterGradByMatMul(x: tf.Tensor4D, dy: tf.Tensor4D, k: number): tf.Tensor4D {
  const [b, h, w, cin] = x.shape;
  const cout = dy.shape[3];
  const n = b * h * w;
  const p = (k - 1) / 2;
  const spatial: [number, number] = [p, p];
  const xpad = tf.pad(x, [[0, 0], spatial, spatial, [0, 0]]);
  const dy2 = tf.reshape(dy, [n, cout]);
  const taps: tf.Tensor2D[] = [];
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      const shifted = tf.reshape(tf.slice(xpad, [0, i, j, 0], [b, h, w, cin]), [n, cin]);
      taps.push(tf.matMul(shifted, dy2, true, false));
    }
  }
  return tf.reshape(tf.stack(taps), [k, k, cin, cout]);
}
