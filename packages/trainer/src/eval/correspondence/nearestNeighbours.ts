import type { LossNorm } from '../../constants.ts';
import { assert } from '../../errors.ts';
import type { DescriptorMap } from './descriptorMaps.ts';
import { pruningAxis } from '../probes/pruningAxis.ts';

/**
 * Distance of candidate row `po` of `b` to query row `qo` of `q` over `c` channels, as the loss's
 * distance without its final 1/C for l1 / l2 (a sum: the order of candidates is the same). Stops early
 * and returns a value > `bound` once the partial distance exceeds it (partial maxima and sums never
 * decrease over the channels), so that hopeless candidates cost a channel or two.
 */
type PartialDistance = (
  b: Float32Array,
  po: number,
  q: Float32Array,
  qo: number,
  c: number,
  bound: number,
) => number;

const PARTIAL_DISTANCE: Record<LossNorm, PartialDistance> = {
  inf: (b, po, q, qo, c, bound) => {
    let d = 0;
    for (let k = 0; k < c; k++) {
      const a = Math.abs(b[po + k] - q[qo + k]);
      if (a > d) {
        d = a;
        if (d > bound) return d;
      }
    }
    return d;
  },
  l1: (b, po, q, qo, c, bound) => {
    let d = 0;
    for (let k = 0; k < c; k++) {
      d += Math.abs(b[po + k] - q[qo + k]);
      if (d > bound) return d;
    }
    return d;
  },
  l2: (b, po, q, qo, c, bound) => {
    let d = 0;
    for (let k = 0; k < c; k++) {
      const diff = b[po + k] - q[qo + k];
      d += diff * diff;
      if (d > bound) return d;
    }
    return d;
  },
};

/**
 * The loss's distance between row `ao` of `a` and row `bo` of `b` over `c` channels, without its final
 * 1/C for l1 / l2 (max |diff|, sum |diff| or sum diff^2), for code that compares distances of one norm.
 */
export function descriptorGap(
  norm: LossNorm,
): (a: Float32Array, ao: number, b: Float32Array, bo: number, c: number) => number {
  const distance = PARTIAL_DISTANCE[norm];
  return (a, ao, b, bo, c) => distance(b, bo, a, ao, c, Number.POSITIVE_INFINITY);
}

/** Taken off key gaps, so that rounding in the keys' dot products never drops an exact tie. */
const GAP_SLACK = 1e-9;

/**
 * Lower bound of a candidate's (partial-)distance from the gap between its key and the query's (keys
 * along `pruningAxis`, which bounds the gap by max |diff|, sum |diff| or sqrt(sum diff^2)): the gap itself
 * for inf and l1, its square for l2 (the search compares sums of squares).
 */
const GAP_BOUND: Record<LossNorm, (gap: number) => number> = {
  inf: (gap) => gap,
  l1: (gap) => gap,
  l2: (gap) => gap * gap,
};

/**
 * Exact nearest-neighbour search: for each query pixel of A, the pixel of B whose descriptor is closest
 * to the query's under the loss's distance (`inf`: max |diff|; `l1`: mean |diff|; `l2`: mean diff^2;
 * docs/architecture.md#oxel-loss), over ALL pixels of B. Ties go to the first pixel in row-major order (as
 * @oxels/inspect's distanceHeatmap). Pure.
 *
 * How (a tight typed-array loop; brute force over 307k candidates x 32 channels per query took 10-20 s
 * for 500 queries): B's descriptors are copied in the order of a scalar key (the projection on
 * `pruningAxis`, a channel or the principal axis), and each query visits candidates outwards from its
 * own key, nearest key first, stopping once the key gap alone exceeds the best distance found (the gap
 * is a lower bound of the distance). Each visited candidate is abandoned as soon as its running distance
 * exceeds the best. See README "Evaluation" for measured times.
 *
 * @param queries int32 [Q] flat pixel indices y * W + x of A
 * @returns int32 [Q] flat pixel index of each query's nearest pixel in B
 */
export function nearestNeighbours(
  mapA: DescriptorMap,
  queries: Int32Array,
  mapB: DescriptorMap,
  norm: LossNorm,
): Int32Array {
  const c = mapA.channels;
  assert(
    mapB.channels === c,
    'BAD_ARGUMENT',
    () => `nearestNeighbours: maps have ${c} and ${mapB.channels} channels (expected equal)`,
  );
  assert(
    norm === 'inf' || norm === 'l1' || norm === 'l2',
    'BAD_ARGUMENT',
    () => `nearestNeighbours: norm must be 'inf', 'l1' or 'l2' (got ${String(norm)})`,
  );
  const nA = mapA.width * mapA.height;
  for (const q of queries) {
    assert(
      Number.isInteger(q) && q >= 0 && q < nA,
      'BAD_ARGUMENT',
      () => `nearestNeighbours: query pixel ${q} is outside A (expected 0 <= i < ${nA})`,
    );
  }
  const distance = PARTIAL_DISTANCE[norm];
  const gapBound = GAP_BOUND[norm];
  const n = mapB.width * mapB.height;
  const axis = pruningAxis(mapB, norm);
  const keyOf = (data: Float32Array, o: number): number => {
    let k = 0;
    for (let i = 0; i < c; i++) k += axis[i] * data[o + i];
    return k;
  };

  // B sorted by key (ties by pixel index), as a contiguous copy so that scans stay in cache.
  const src = mapB.data;
  const unsortedKeys = new Float64Array(n);
  for (let p = 0; p < n; p++) unsortedKeys[p] = keyOf(src, p * c);
  const order = new Int32Array(n);
  for (let p = 0; p < n; p++) order[p] = p;
  order.sort((i, j) => unsortedKeys[i] - unsortedKeys[j] || i - j);
  const sorted = new Float32Array(n * c);
  const keys = new Float64Array(n);
  for (let s = 0; s < n; s++) {
    sorted.set(src.subarray(order[s] * c, (order[s] + 1) * c), s * c);
    keys[s] = unsortedKeys[order[s]];
  }

  const a = mapA.data;
  const found = new Int32Array(queries.length);
  for (let j = 0; j < queries.length; j++) {
    const qo = queries[j] * c;
    const qk = keyOf(a, qo);
    // First sorted position with keys[s] >= qk; scan up from there and down from the one before.
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (keys[mid] < qk) lo = mid + 1;
      else hi = mid;
    }
    let up = lo;
    let down = lo - 1;
    let bestD = Number.POSITIVE_INFINITY;
    let bestP = -1;
    while (up < n || down >= 0) {
      const gapUp = up < n ? keys[up] - qk : Number.POSITIVE_INFINITY;
      const gapDown = down >= 0 ? qk - keys[down] : Number.POSITIVE_INFINITY;
      const s = gapUp <= gapDown ? up++ : down--;
      // Candidates come in order of growing gap: once the gap alone exceeds the best, none can win.
      if (gapBound(Math.max(0, Math.min(gapUp, gapDown) - GAP_SLACK)) > bestD) break;
      const d = distance(sorted, s * c, a, qo, c, bestD);
      const p = order[s];
      if (d < bestD || (d === bestD && p < bestP)) {
        bestD = d;
        bestP = p;
      }
    }
    found[j] = bestP;
  }
  return found;
}
