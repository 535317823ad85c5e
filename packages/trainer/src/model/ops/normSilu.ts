import * as tf from '@tensorflow/tfjs-core';
import type { UNetNormalization } from '../../constants.ts';
import { opFormulations } from '../../backend/opFormulations.ts';
import { affineSilu, normalizeRows } from '../../backend/tensorflowKernels.ts';
import { sumRows } from './sumRows.ts';

// Normalisation + SiLU, written for the wasm backend's fast paths. Two layouts share one code path:
// `image` (one group: mean and variance over H, W and all channels of each image, the paper's) and
// `pixel` (over the channels of each pixel, the layer norm of ConvNeXt: a descriptor then depends only
// on its receptive field, not on the rest of the view). Both see the batch as rows, [B, H*W*C] or
// [B*H*W, C], with per-row statistics as [R, 1] broadcasts. Measured on [16, 128, 128, 16]: image
// sums as average pools (XNNPACK, 0.6 ms; Mean over H*W*C: 7.5 ms), per-channel scale and shift as a
// 1x1 depthwise convolution (1.7 ms; Mul and Add broadcasting over C: 14 ms). Gradients are written
// out by hand; every gradient function runs in tf.tidy, because tfjs runs custom gradient functions
// outside any scope of their own, so without it every temporary would live until the whole
// backward pass ends (gigabytes for the 3D configuration).

/**
 * silu(gamma * (x - mean) / sqrt(var + eps) + beta) over the channel concat of `parts`, without
 * building the concat: mean and variance over what `over` says (each image, or each pixel, across
 * the channels of all parts), one output per part. The decoder's skip connections use two parts
 * (running tensor, encoder skip): concatenating and later splitting along channels cost the wasm
 * backend 50-150 ms per full-resolution 3D tensor, more than the convolution that follows.
 *
 * @param parts each [B, H, W, C_i], same B, H, W
 * @param gammas per-channel scale of each part, [C_i]
 * @param betas per-channel shift of each part, [C_i]
 * @param epsilon added to the variance
 * @param over `image` (one group) or `pixel`
 * @returns one [B, H, W, C_i] tensor per part
 */
export function normSiluParts(
  parts: tf.Tensor4D[],
  gammas: tf.Tensor1D[],
  betas: tf.Tensor1D[],
  epsilon: number,
  over: UNetNormalization,
): tf.Tensor4D[] {
  if (opFormulations().norm === 'fusedBatchNorm') return normSiluNative(parts, gammas, betas, epsilon, over);
  const layout = LAYOUTS[over];
  const stats = normStats(parts, epsilon, layout);
  return parts.map((x, i) => normalizeSilu(x, stats, gammas[i], betas[i], layout));
}

/**
 * `normSiluParts` on libtensorflow: the normalisation is TensorFlow's fused batch norm (two kernels,
 * `normalizeRows`), the affine and SiLU `affineSilu`, and the parts concatenated first (one Concat
 * and one SplitV kernel, cheap there).
 */
function normSiluNative(
  parts: tf.Tensor4D[],
  gammas: tf.Tensor1D[],
  betas: tf.Tensor1D[],
  epsilon: number,
  over: UNetNormalization,
): tf.Tensor4D[] {
  const one = parts.length === 1;
  const x = one ? parts[0] : tf.concat(parts, 3);
  const [b, h, w, c] = x.shape;
  const rows = over === 'image' ? tf.reshape(x, [b, h * w * c]) : tf.reshape(x, [b * h * w, c]);
  const xhat = tf.reshape(normalizeRows(rows as tf.Tensor2D, epsilon), x.shape) as tf.Tensor4D;
  const out = affineSilu(xhat, one ? gammas[0] : tf.concat(gammas), one ? betas[0] : tf.concat(betas));
  return one
    ? [out]
    : tf.split(
        out,
        parts.map((p) => p.shape[3]),
        3,
      );
}

/** `normSiluParts` of a single tensor [B, H, W, C]. */
export function normSilu(
  x: tf.Tensor4D,
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
  epsilon: number,
  over: UNetNormalization,
): tf.Tensor4D {
  return normSiluParts([x], [gamma], [beta], epsilon, over)[0];
}

/** How one normalisation sees a batch: as rows, each normalised on its own. */
interface RowLayout {
  /** [R, N] view of [B, H, W, C]. */
  rows(t: tf.Tensor4D): tf.Tensor2D;
  /** N: the length of a row. */
  rowLength(shape: number[]): number;
  /** Sum of each row, [R, 1]. */
  rowSum(t: tf.Tensor4D): tf.Tensor2D;
}

const LAYOUTS: Record<UNetNormalization, RowLayout> = {
  image: {
    rows: (t) => tf.reshape(t, [t.shape[0], -1]),
    rowLength: ([, h, w, c]) => h * w * c,
    rowSum: imageSum,
  },
  pixel: {
    rows: pixelRows,
    rowLength: ([, , , c]) => c,
    rowSum: (t) => tf.sum(pixelRows(t), 1, true),
  },
};

/** [B*H*W, C] view: one row per pixel. */
function pixelRows(t: tf.Tensor4D): tf.Tensor2D {
  return tf.reshape(t, [-1, t.shape[3]]);
}

/** Per-image sum over H, W and C, [B, 1] (average pools, then a sum over the few channels). */
function imageSum(t: tf.Tensor4D): tf.Tensor2D {
  const [b, h, w, c] = t.shape;
  const means = tf.reshape(tf.avgPool(t, [h, w], 1, 'valid'), [b, c]);
  return tf.mul(tf.sum(means, 1, true), h * w);
}

/**
 * Per-row mean and reciprocal standard deviation over the rows of all parts: [R, 2] = (mean,
 * 1 / sqrt(var + eps)).
 */
function normStats(parts: tf.Tensor4D[], epsilon: number, layout: RowLayout): tf.Tensor2D {
  const { rows, rowSum } = layout;
  const k = parts.length;
  const count = parts.reduce((n, p) => n + layout.rowLength(p.shape), 0);
  return tf.customGrad((...args) => {
    const xs = args.slice(0, k) as tf.Tensor4D[];
    const mean = tf.div(tf.addN(xs.map(rowSum)), count);
    const centred = xs.map((x) => tf.reshape(tf.sub(rows(x), mean), x.shape) as tf.Tensor4D);
    const variance = tf.div(tf.addN(centred.map((c) => rowSum(tf.square(c)))), count);
    const rstd = tf.rsqrt(tf.add(variance, epsilon));
    (args[k] as tf.GradSaveFunc)([...xs, mean, rstd]);
    return {
      value: tf.concat([mean, rstd], 0),
      // d mean / dx = 1 / N; d rstd / dx = -rstd^3 (x - mean) / N (the mean's own term cancels).
      gradFunc: (dstats: tf.Tensor, saved: tf.Tensor[]) =>
        tf.tidy(() => {
          const [smean, srstd] = saved.slice(k);
          const [dmean, drstd] = tf.split(dstats, 2, 0);
          // rstd^3 as products: wasm's Pow takes 10 ms on the per-pixel [B*H*W, 1] stats, Mul 1 ms.
          const slope = tf.div(tf.mul(tf.neg(drstd), tf.mul(srstd, tf.square(srstd))), count);
          const offset = tf.sub(tf.div(dmean, count), tf.mul(slope, smean));
          return (saved.slice(0, k) as tf.Tensor4D[]).map((x) =>
            tf.reshape(tf.add(tf.mul(rows(x), slope), offset), x.shape),
          );
        }),
    };
  })(...parts) as tf.Tensor2D;
}

/** silu(gamma * (x - mean) * rstd + beta) for given per-row stats [R, 2] = (mean, rstd). */
function normalizeSilu(
  x: tf.Tensor4D,
  stats: tf.Tensor2D,
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
  layout: RowLayout,
): tf.Tensor4D {
  const { rows, rowSum } = layout;
  const c = x.shape[3];
  const depthwise = (t: tf.Tensor4D, scale: tf.Tensor1D, shift?: tf.Tensor1D): tf.Tensor4D =>
    tf.fused.depthwiseConv2d({
      x: t,
      filter: tf.reshape(scale, [1, 1, c, 1]) as tf.Tensor4D,
      bias: shift,
      strides: 1,
      pad: 'valid',
    });
  return tf.customGrad((xi, si, gi, bi, save) => {
    const input = xi as tf.Tensor4D;
    const [mean, rstd] = tf.split(si as tf.Tensor2D, 2, 0);
    const xhat = tf.reshape(tf.mul(tf.sub(rows(input), mean), rstd), input.shape) as tf.Tensor4D;
    const y = depthwise(xhat, gi as tf.Tensor1D, bi as tf.Tensor1D);
    const s = tf.sigmoid(y);
    (save as tf.GradSaveFunc)([xhat, y, s, gi as tf.Tensor1D, rstd]);
    return {
      value: tf.mul(y, s) as tf.Tensor4D,
      gradFunc: (g: tf.Tensor, saved: tf.Tensor[]) =>
        tf.tidy(() => {
          const [sxhat, sy, ss, sgamma, srstd] = saved;
          // d silu(y) / dy = s * (1 + y * (1 - s))
          const dy = tf.mul(g, tf.mul(ss, tf.add(1, tf.mul(sy, tf.sub(1, ss))))) as tf.Tensor4D;
          const dxhat = depthwise(dy, sgamma as tf.Tensor1D);
          const dx = tf.reshape(tf.mul(rows(dxhat), srstd), input.shape);
          // xhat = (x - mean) * rstd: d mean = -rstd * sum(dxhat), d rstd = sum(dxhat * xhat) / rstd.
          const dmean = tf.neg(tf.mul(rowSum(dxhat), srstd));
          const drstd = tf.div(rowSum(tf.mul(dxhat, sxhat) as tf.Tensor4D), srstd);
          return [dx, tf.concat([dmean, drstd], 0), sumRows(tf.mul(dy, sxhat)), sumRows(dy)];
        }),
    };
  })(x, stats, gamma, beta) as tf.Tensor4D;
}

/**
 * One-group normalisation without activation, by automatic differentiation (used only by the
 * optional attention block, where it runs once per forward).
 * @param x [B, H, W, C]; gamma, beta [C]
 */
export function groupNorm(
  x: tf.Tensor4D,
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
  epsilon: number,
): tf.Tensor4D {
  const [b, h, w, c] = x.shape;
  const x2 = tf.reshape(x, [b, h * w * c]);
  const { mean, variance } = tf.moments(x2, 1, true);
  const xhat = tf.reshape(tf.div(tf.sub(x2, mean), tf.sqrt(tf.add(variance, epsilon))), [b, h, w, c]);
  return tf.add(tf.mul(xhat, gamma), beta);
}
