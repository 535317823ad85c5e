import { assert } from '../../errors.ts';

/**
 * A 3x3 homography as 9 numbers, row-major, acting on homogeneous pixel coordinates (u, v, 1):
 * u to the right, v downwards, origin at the image's top-left corner, so pixel (x, y) has its centre at
 * (x + 0.5, y + 0.5) (docs/architecture.md#pixel-coordinates).
 * (u', v') = ((h0 u + h1 v + h2) / w, (h3 u + h4 v + h5) / w) with w = h6 u + h7 v + h8.
 */
export type Mat3 = number[];

/** A 2D point in pixel coordinates (u right, v down, pixel centres at +0.5). */
export interface Point2 {
  x: number;
  y: number;
}

/** The 3x3 identity. */
export function identity3(): Mat3 {
  return [1, 0, 0, 0, 1, 0, 0, 0, 1];
}

/** The product a * b (b is applied first when the result acts on a point). */
export function multiply3(a: Mat3, b: Mat3): Mat3 {
  const out = new Array<number>(9);
  for (let r = 0; r < 3; r++) {
    for (let c = 0; c < 3; c++) {
      out[r * 3 + c] = a[r * 3] * b[c] + a[r * 3 + 1] * b[3 + c] + a[r * 3 + 2] * b[6 + c];
    }
  }
  return out;
}

/** Composes homographies applied in the order given: compose3(A, B, C) = C * B * A. */
export function compose3(...applied: Mat3[]): Mat3 {
  return applied.reduce((acc, m) => multiply3(m, acc), identity3());
}

/**
 * The inverse of a 3x3 matrix (adjugate over determinant). Throws TrainerError('BAD_ARGUMENT') when the
 * matrix is singular relative to its scale.
 */
export function invert3(m: Mat3): Mat3 {
  const [a, b, c, d, e, f, g, h, i] = m;
  const A = e * i - f * h;
  const B = -(d * i - f * g);
  const C = d * h - e * g;
  const det = a * A + b * B + c * C;
  const scale = Math.max(...m.map(Math.abs));
  assert(
    Number.isFinite(det) && Math.abs(det) > 1e-12 * scale * scale * scale,
    'BAD_ARGUMENT',
    () => `invert3: matrix is singular (got determinant ${det} for [${m.join(', ')}])`,
  );
  const s = 1 / det;
  return [
    A * s,
    -(b * i - c * h) * s,
    (b * f - c * e) * s,
    B * s,
    (a * i - c * g) * s,
    -(a * f - c * d) * s,
    C * s,
    -(a * h - b * g) * s,
    (a * e - b * d) * s,
  ];
}

/**
 * Maps the point (u, v) through `m` and writes the result into `target`, which it returns.
 * A point whose homogeneous w is <= 0 has crossed the line at infinity: it gets NaN coordinates, so that
 * every range test on it fails.
 */
export function applyHomography(m: Mat3, u: number, v: number, target: Point2): Point2 {
  const w = m[6] * u + m[7] * v + m[8];
  if (!(w > 0)) {
    target.x = Number.NaN;
    target.y = Number.NaN;
    return target;
  }
  target.x = (m[0] * u + m[1] * v + m[2]) / w;
  target.y = (m[3] * u + m[4] * v + m[5]) / w;
  return target;
}
