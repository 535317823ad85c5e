import * as tf from '@tensorflow/tfjs-core';
import { assert } from '../errors.ts';

/**
 * Samples of a batch whose view-2 partner is chosen from the descriptors at each step: for these, idx2
 * holds the true match of the view-1 pixel, and the partner becomes the most similar view-2 pixel that
 * lies farther than `radius` from it (`mineHardNegatives`).
 */
export interface HardNegatives {
  /** [B, N] uint8: 1 where sample n of pair b is mined. */
  mined: Uint8Array;
  /** Pixels within this Chebyshev distance of the true match count as the match, never as a negative. */
  radius: number;
}

/** Candidates are every STRIDE-th pixel on both axes: a quarter of the cost of all of them. */
const STRIDE = 2;

/**
 * Hard-negative mining on one forward pass over both views stacked, `o` = [2B, H, W, C] (view 1 of
 * pair b at image b, view 2 at image B + b). For each mined sample n of pair b: the view-2 pixel whose
 * descriptor is nearest to view 1's pixel idx1[b, n] in squared Euclidean distance (one matrix product,
 * whatever norm the loss uses: a cheap stand-in that finds the same confusions), among the pixels of
 * even row and column more than `hard.radius` from the true match idx2[b, n] on either axis. These are the
 * pixels that nearest-neighbour matching would pick instead of the match, which random negatives
 * almost never are.
 *
 * Reads `o` without recording gradients through the choice (the indices are data).
 * @returns idx2 with the mined partners in place of the true matches (a new array)
 */
export function mineHardNegatives(
  o: tf.Tensor4D,
  idx1: Int32Array,
  idx2: Int32Array,
  hard: HardNegatives,
): Int32Array {
  const [twoB, h, w, c] = o.shape;
  const b = twoB / 2;
  const n = idx1.length / b;
  assert(
    Number.isInteger(b) &&
      Number.isInteger(n) &&
      idx2.length === idx1.length &&
      hard.mined.length === idx1.length,
    'BAD_ARGUMENT',
    () =>
      `mineHardNegatives: o [${o.shape}] needs idx1, idx2 and mined of B x N values, B = ${b} (got ${idx1.length}, ${idx2.length}, ${hard.mined.length})`,
  );
  // A (2r + 1)-pixel square leaves a column or a row of candidates when the image is wide or tall enough.
  assert(
    hard.radius >= 0 && Math.max(h, w) > 2 * hard.radius + STRIDE,
    'BAD_ARGUMENT',
    () =>
      `mineHardNegatives: radius must be >= 0 and leave pixels outside it in ${w}x${h} (got ${hard.radius})`,
  );
  const [gw, gh] = [Math.ceil(w / STRIDE), Math.ceil(h / STRIDE)];
  const out = idx2.slice();
  for (let pair = 0; pair < b; pair++) {
    const rows: number[] = [];
    for (let i = pair * n; i < (pair + 1) * n; i++) if (hard.mined[i]) rows.push(i);
    if (!rows.length) continue;
    const [similarity, keyNorms] = tf.tidy(() => {
      const image = (k: number) => tf.slice(o, [k, 0, 0, 0], [1, h, w, c]);
      const queries = tf.gather(
        tf.reshape(image(pair), [h * w, c]),
        Int32Array.from(rows, (i) => idx1[i]),
      );
      const keys = tf.reshape(
        tf.stridedSlice(image(b + pair), [0, 0, 0, 0], [1, h, w, c], [1, STRIDE, STRIDE, 1]),
        [gh * gw, c],
      );
      return [tf.matMul(queries, keys, false, true), tf.sum(tf.square(keys), 1)];
    });
    const [dot, norms] = [similarity.dataSync(), keyNorms.dataSync()];
    tf.dispose([similarity, keyNorms]);
    // The exclusion square is a test per candidate: one pass in JS over the [M, candidates] products
    // costs less than the half-dozen full-size tensor ops that would build it as a mask.
    const nearest = rows.map((i, k) => {
      const [mx, my] = [idx2[i] % w, Math.floor(idx2[i] / w)];
      let best = 0;
      let bestDistance = Number.POSITIVE_INFINITY;
      for (let p = 0, row = k * gh * gw; p < gh * gw; p++) {
        const [x, y] = [STRIDE * (p % gw), STRIDE * Math.floor(p / gw)];
        // |q - k|^2 up to |q|^2, which is the same for every candidate of a query.
        const distance = norms[p] - 2 * dot[row + p];
        if (distance < bestDistance && (Math.abs(x - mx) > hard.radius || Math.abs(y - my) > hard.radius)) {
          best = y * w + x;
          bestDistance = distance;
        }
      }
      return best;
    });
    rows.forEach((i, k) => {
      out[i] = nearest[k];
    });
  }
  return out;
}
