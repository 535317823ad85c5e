import type { Rng } from '@oxels/core';

/**
 * Picks up to `count` of the `candidates` (indices into `xs`/`ys`) spread out over the plane:
 * farthest-point sampling from a seeded random start, so that every pick is as far as possible from
 * those before it. Deterministic for a given rng state. O(candidates x count).
 *
 * @param xs, ys positions (any consistent unit, e.g. pixels), indexed by candidate value
 * @returns the chosen candidate values, in pick order
 */
export function spreadSample(
  xs: ArrayLike<number>,
  ys: ArrayLike<number>,
  candidates: ArrayLike<number>,
  count: number,
  rng: Rng,
): number[] {
  const n = candidates.length;
  if (n === 0 || count <= 0) return [];
  if (count >= n) return Array.from(candidates);
  const nearest = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
  const picked: number[] = [];
  let next = rng.int(n);
  for (let k = 0; k < count; k++) {
    const c = candidates[next];
    picked.push(c);
    const px = xs[c];
    const py = ys[c];
    let far = -1;
    let farDist = -1;
    for (let i = 0; i < n; i++) {
      const dx = xs[candidates[i]] - px;
      const dy = ys[candidates[i]] - py;
      const d = dx * dx + dy * dy;
      if (d < nearest[i]) nearest[i] = d;
      if (nearest[i] > farDist) {
        farDist = nearest[i];
        far = i;
      }
    }
    // Only coincident positions are left: picking them again would draw the same mark twice.
    if (farDist <= 0) break;
    next = far;
  }
  return picked;
}
