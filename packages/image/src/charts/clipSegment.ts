/**
 * The part of the segment (u0, v0) - (u1, v1) inside the rectangle [x0, x1] x [y0, y1] (Liang-Barsky),
 * as [u0, v0, u1, v1], or null when it misses. Charts clip before drawing so that a point mapped far
 * outside the plot (a spike above a fixed yRange) does not make the line walk millions of pixels.
 */
export function clipSegment(
  u0: number,
  v0: number,
  u1: number,
  v1: number,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
): [number, number, number, number] | null {
  const du = u1 - u0;
  const dv = v1 - v0;
  let t0 = 0;
  let t1 = 1;
  // Each pair is (p, q): the segment is inside where p * t <= q, one pair per rectangle edge.
  const edges: [number, number][] = [
    [-du, u0 - x0],
    [du, x1 - u0],
    [-dv, v0 - y0],
    [dv, y1 - v0],
  ];
  for (const [p, q] of edges) {
    if (p === 0) {
      if (q < 0) return null;
      continue;
    }
    const t = q / p;
    if (p < 0) {
      if (t > t1) return null;
      if (t > t0) t0 = t;
    } else {
      if (t < t0) return null;
      if (t < t1) t1 = t;
    }
  }
  return [u0 + t0 * du, v0 + t0 * dv, u0 + t1 * du, v0 + t1 * dv];
}
