import * as tf from '@tensorflow/tfjs-core';
import { DEFAULT_OXEL_LOSS_OPTIONS, LOSS_NORMS, type LossNorm, type OxelLossOptions } from '../constants.ts';
import { assert } from '../errors.ts';
import { gatherRows } from './gatherRows.ts';
import { maxAbs } from './maxAbs.ts';

/**
 * One batch for the loss. Image b of view 1 and image b of view 2 form a pair; for each image, N
 * pixels are sampled. Sample n pairs pixel `idx1[b, n]` of view 1 with pixel `idx2[b, n]` of view 2:
 * its known correspondence (a positive) or a random pixel of view 2 (a negative). Flat pixel index
 * i = y * W + x (docs/architecture.md#pixel-coordinates).
 */
export interface OxelLossInputs {
  /** Descriptors of view 1, [B, H, W, C]. */
  o1: tf.Tensor4D;
  /** Descriptors of view 2, [B, H, W, C]. */
  o2: tf.Tensor4D;
  /** int32 [B, N]: sampled pixels of view 1, each in [0, H*W). */
  idx1: tf.Tensor2D;
  /** int32 [B, N]: their partners in view 2, each in [0, H*W). */
  idx2: tf.Tensor2D;
  /** float32 [B, N]: 1 for a known correspondence (positive), 0 for a random partner (negative). */
  isPositive: tf.Tensor2D;
  /** float32 [B, H, W]: 1 where view 1 is valid (e.g. inside a warped image), else 0. Default all 1. */
  mask1?: tf.Tensor3D;
  /** float32 [B, H, W]: validity of view 2. Default all 1. */
  mask2?: tf.Tensor3D;
}

/** The loss and its two terms, as scalars that the caller disposes. */
export interface OxelLossTerms {
  /** (1 - lambda) * within + lambda * between. */
  loss: tf.Scalar;
  within: tf.Scalar;
  between: tf.Scalar;
}

/**
 * The paper's stable single-pixel contrastive loss (Pogorelyuk et al. 2025; docs/architecture.md#oxel-loss).
 * With d_n = dist(o1[b, idx1[n]], o2[b, idx2[n]]) / 2:
 *
 * - within-image: l_n = (1 - pbar) / 4 + d_n (2 f_n - 1) + d_n^2, f_n = isPositive, m_n = mask1[idx1[n]]
 *   * mask2[idx2[n]], pbar = sum(f m) / sum(m) the image's fraction of positives among its valid
 *   samples; per image sum(l m) / (sum(m) + eps), then the mean over images. The constant makes the
 *   optimum (d = 0 for positives, 1/2 for negatives) cost exactly 0 whatever pbar is.
 * - between-image: for every pair of images b1 < b2 and every n,
 *   e = dist(o1[b1, idx1[b1, n]], o2[b2, idx2[b2, n]]) / 2, l = (e - 1/2)^2, weighted by
 *   mask1[b1, idx1[b1, n]] * mask2[b2, idx2[b2, n]]; one masked mean over all pairs and samples.
 *   Memory O(B^2 N C).
 *
 * Pure: runs inside tf.tidy and records on the gradient tape when called under tf.variableGrads.
 */
export function oxelLoss(inputs: OxelLossInputs, options: Partial<OxelLossOptions> = {}): OxelLossTerms {
  const opts = { ...DEFAULT_OXEL_LOSS_OPTIONS, ...options };
  const { o1, o2, idx1, idx2, isPositive, mask1, mask2 } = inputs;
  assert(
    o1.rank === 4 && same(o1.shape, o2.shape),
    'BAD_ARGUMENT',
    () => `oxelLoss: o1 and o2 must both be [B, H, W, C] (got [${o1.shape}] and [${o2.shape}])`,
  );
  validateSamples(o1.shape, inputs, opts);
  return lossOnMaps(o1, 0, o2, 0, idx1, idx2, isPositive, mask1, mask2, opts);
}

/**
 * `oxelLoss` on the output of one forward pass over both views stacked, `o` = [2B, H, W, C] with
 * view 1 of pair b at image b and view 2 at image B + b. Same value as splitting `o` into o1 and o2,
 * without the split (a slow SplitV on the wasm backend: 45 ms for a 3D batch, in both passes).
 */
export function oxelLossStacked(
  o: tf.Tensor4D,
  inputs: Omit<OxelLossInputs, 'o1' | 'o2'>,
  options: Partial<OxelLossOptions> = {},
): OxelLossTerms {
  const opts = { ...DEFAULT_OXEL_LOSS_OPTIONS, ...options };
  const b = inputs.idx1.shape[0];
  assert(
    o.rank === 4 && o.shape[0] === 2 * b,
    'BAD_ARGUMENT',
    () => `oxelLossStacked: o must be [2B, H, W, C] with B = ${b} (got [${o.shape}])`,
  );
  validateSamples([b, o.shape[1], o.shape[2], o.shape[3]], inputs, opts);
  const { idx1, idx2, isPositive, mask1, mask2 } = inputs;
  return lossOnMaps(o, 0, o, b, idx1, idx2, isPositive, mask1, mask2, opts);
}

/**
 * The descriptors of the sampled pixels of a forward pass over both views stacked, `o` = [2B, H, W, C]
 * (view 1 of pair b at image b, view 2 at image B + b): p1[b, n] = o[b, idx1[b, n]] and
 * p2[b, n] = o[B + b, idx2[b, n]], each [B, N, C]. What a data-parallel replica sends for the loss.
 */
export function sampleStacked(
  o: tf.Tensor4D,
  idx1: tf.Tensor2D,
  idx2: tf.Tensor2D,
): { p1: tf.Tensor3D; p2: tf.Tensor3D } {
  const b = idx1.shape[0];
  return tf.tidy(() => {
    const [p1, p2] = [gatherAt(o, 0, idx1), gatherAt(o, b, idx2)];
    return { p1, p2 };
  });
}

/** The rows idx[b, n] of images first + b of `map`: [B, N, C]. */
function gatherAt(map: tf.Tensor4D, first: number, idx: tf.Tensor2D): tf.Tensor3D {
  const [b, n] = idx.shape;
  const [, h, w, c] = map.shape;
  return tf.tidy(() => {
    const flatMap = tf.reshape(map, [map.shape[0] * h * w, c]) as tf.Tensor2D;
    return tf.reshape(gatherRows(flatMap, flatRows(idx, first, h * w)), [b, n, c]) as tf.Tensor3D;
  });
}

/**
 * The validity of the sampled pixels: mask[b, idx[b, n]] for a [B, H, W] mask, all ones without one.
 * @returns float32 [B, N]
 */
export function sampledMask(mask: tf.Tensor3D | undefined, idx: tf.Tensor2D): tf.Tensor2D {
  const [b, n] = idx.shape;
  if (!mask) return tf.ones([b, n]);
  const [, h, w] = mask.shape;
  return tf.tidy(
    () =>
      tf.reshape(tf.gather(tf.reshape(mask, [b * h * w]), flatRows(idx, 0, h * w)), [b, n]) as tf.Tensor2D,
  );
}

/** Flat pixel rows idx + (first + b) * H * W (int32: a JS number operand would turn them float32). */
function flatRows(idx: tf.Tensor2D, first: number, hw: number): tf.Tensor1D {
  const [b, n] = idx.shape;
  const offsets = Int32Array.from({ length: b }, (_, i) => (first + i) * hw);
  return tf.reshape(tf.add(idx, tf.tensor2d(offsets, [b, 1], 'int32')), [b * n]) as tf.Tensor1D;
}

/**
 * Gathers view-1 samples from images first1.. of `map1` and view-2 samples from images first2.. of
 * `map2`, then `oxelLossOnSamples`.
 */
function lossOnMaps(
  map1: tf.Tensor4D,
  first1: number,
  map2: tf.Tensor4D,
  first2: number,
  idx1: tf.Tensor2D,
  idx2: tf.Tensor2D,
  isPositive: tf.Tensor2D,
  mask1: tf.Tensor3D | undefined,
  mask2: tf.Tensor3D | undefined,
  opts: OxelLossOptions,
): OxelLossTerms {
  const terms = tf.tidy(() => {
    const t = oxelLossOnSamples(
      gatherAt(map1, first1, idx1),
      gatherAt(map2, first2, idx2),
      isPositive,
      sampledMask(mask1, idx1),
      sampledMask(mask2, idx2),
      opts,
    );
    return [t.loss, t.within, t.between];
  });
  return { loss: terms[0] as tf.Scalar, within: terms[1] as tf.Scalar, between: terms[2] as tf.Scalar };
}

/**
 * The loss on descriptors already gathered at the sampled pixels (see `oxelLoss`).
 * @param p1 [B, N, C] view-1 descriptors of the samples
 * @param p2 [B, N, C] their partners' view-2 descriptors
 * @param isPositive [B, N] 1 / 0
 * @param m1 [B, N] validity of the view-1 pixels
 * @param m2 [B, N] validity of the view-2 pixels
 */
export function oxelLossOnSamples(
  p1: tf.Tensor3D,
  p2: tf.Tensor3D,
  isPositive: tf.Tensor2D,
  m1: tf.Tensor2D,
  m2: tf.Tensor2D,
  options: Partial<OxelLossOptions> = {},
): OxelLossTerms {
  const { norm, lambda, epsilon } = { ...DEFAULT_OXEL_LOSS_OPTIONS, ...options };
  const b = p1.shape[0];
  const terms = tf.tidy(() => {
    const m = tf.mul(m1, m2);
    const d = tf.mul(descriptorDistance(tf.sub(p1, p2), norm), 0.5);
    const validCount = tf.sum(m, 1, true);
    const pbar = tf.div(tf.sum(tf.mul(isPositive, m), 1, true), tf.add(validCount, epsilon));
    const sign = tf.sub(tf.mul(isPositive, 2), 1);
    const lw = tf.add(tf.add(tf.mul(tf.sub(1, pbar), 0.25), tf.mul(d, sign)), tf.square(d));
    const within = tf.mean(tf.div(tf.sum(tf.mul(lw, m), 1, true), tf.add(validCount, epsilon)));

    // All ordered pairs at once ([B, B, N]); the pair mask keeps b1 < b2.
    const e = tf.mul(descriptorDistance(tf.sub(tf.expandDims(p1, 1), tf.expandDims(p2, 0)), norm), 0.5);
    const mb = tf.mul(tf.mul(tf.expandDims(m1, 1), tf.expandDims(m2, 0)), upperTriangle(b));
    const between = tf.div(tf.sum(tf.mul(tf.square(tf.sub(e, 0.5)), mb)), tf.add(tf.sum(mb), epsilon));
    const loss = tf.add(tf.mul(within, 1 - lambda), tf.mul(between, lambda));
    return [loss, within, between];
  });
  return { loss: terms[0] as tf.Scalar, within: terms[1] as tf.Scalar, between: terms[2] as tf.Scalar };
}

/** dist over the last axis: max |diff| (inf), mean |diff| (l1) or mean diff^2 (l2). */
export function descriptorDistance(diff: tf.Tensor, norm: LossNorm): tf.Tensor {
  switch (norm) {
    case 'inf':
      return maxAbs(diff);
    case 'l1':
      return tf.mean(tf.abs(diff), -1);
    case 'l2':
      return tf.mean(tf.square(diff), -1);
  }
}

/** [B, B, 1] with 1 where b1 < b2. */
function upperTriangle(b: number): tf.Tensor3D {
  const values = new Float32Array(b * b);
  for (let i = 0; i < b; i++) for (let j = i + 1; j < b; j++) values[i * b + j] = 1;
  return tf.tensor3d(values, [b, b, 1]);
}

const same = (a: readonly number[], e: readonly number[]) =>
  a.length === e.length && a.every((v, i) => v === e[i]);

/** Checks the sample tensors against the per-view descriptor shape [B, H, W, C]. */
function validateSamples(
  view: readonly number[],
  inputs: Omit<OxelLossInputs, 'o1' | 'o2'>,
  opts: OxelLossOptions,
): void {
  const { idx1, idx2, isPositive, mask1, mask2 } = inputs;
  const [b, h, w] = view;
  const n = idx1.shape[1];
  for (const [name, t] of [
    ['idx1', idx1],
    ['idx2', idx2],
    ['isPositive', isPositive],
  ] as const) {
    assert(
      t.rank === 2 && same(t.shape, [b, n]),
      'BAD_ARGUMENT',
      () => `oxelLoss: ${name} must be [B, N] = [${b}, ${n}] (got [${t.shape}])`,
    );
  }
  assert(
    idx1.dtype === 'int32' && idx2.dtype === 'int32',
    'BAD_ARGUMENT',
    () => `oxelLoss: idx1 and idx2 must be int32 (got ${idx1.dtype}, ${idx2.dtype})`,
  );
  for (const [name, t] of [
    ['mask1', mask1],
    ['mask2', mask2],
  ] as const) {
    assert(
      t === undefined || same(t.shape, [b, h, w]),
      'BAD_ARGUMENT',
      () => `oxelLoss: ${name} must be [B, H, W] = [${b}, ${h}, ${w}] (got [${t?.shape}])`,
    );
  }
  assert(
    (LOSS_NORMS as readonly string[]).includes(opts.norm),
    'BAD_ARGUMENT',
    () => `oxelLoss: unknown norm '${opts.norm}' (expected ${LOSS_NORMS.join(', ')})`,
  );
  assert(
    opts.lambda >= 0 && opts.lambda <= 1,
    'BAD_ARGUMENT',
    () => `oxelLoss: lambda must lie in [0, 1] (got ${opts.lambda})`,
  );
}
