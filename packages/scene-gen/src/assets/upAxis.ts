import type { Box3Data } from './Asset.ts';

/** A signed coordinate axis of a file's frame. */
export type SignedAxis = '+x' | '-x' | '+y' | '-y' | '+z' | '-z';

/** Slab thickness (metres) above the lowest surface that counts as the floor. */
const FLOOR_SLAB = 0.2;
/** A face is horizontal for an axis when |cos(normal, axis)| exceeds this (about 25 degrees). */
const HORIZONTAL_COS = 0.9;
/** Another axis must show this many times the floor area of +Y before we believe it. */
const SWITCH_FACTOR = 2;
/** Percentile that stands for the room's lowest level (robust to scan noise below the floor). */
const LOW_PERCENTILE = 0.02;

/**
 * Guesses which axis points up in a room mesh: the up axis has the largest horizontal surface at
 * its low end (the floor, seen from above). Each signed axis s scores the area of faces whose
 * normal is within ~25 degrees of +-s and that lie within 20 cm of the room's low end along s.
 * +Y (SceneNN's convention) is kept unless another axis scores more than twice as much, so a room
 * with a full ceiling, or one narrower than it is high, does not flip.
 *
 * @param position vertex positions [N*3] (x, y, z), metres
 * @param index triangle vertex indices [F*3], or null for a non-indexed soup
 * @returns the axis to rotate to +Y (see rotatePositionsToYUp)
 */
export function detectUpAxis(position: ArrayLike<number>, index: ArrayLike<number> | null): SignedAxis {
  const vertexCount = position.length / 3;
  const low = [0, 0, 0];
  const high = [0, 0, 0];
  for (let axis = 0; axis < 3; axis++) {
    low[axis] = percentile(position, vertexCount, axis, LOW_PERCENTILE);
    high[axis] = percentile(position, vertexCount, axis, 1 - LOW_PERCENTILE);
  }
  const score: Record<SignedAxis, number> = { '+x': 0, '-x': 0, '+y': 0, '-y': 0, '+z': 0, '-z': 0 };
  const names: [SignedAxis, SignedAxis][] = [
    ['+x', '-x'],
    ['+y', '-y'],
    ['+z', '-z'],
  ];
  const faceCount = Math.floor((index ? index.length : vertexCount) / 3);
  const n = [0, 0, 0];
  for (let f = 0; f < faceCount; f++) {
    const a = (index ? index[3 * f] : 3 * f) * 3;
    const b = (index ? index[3 * f + 1] : 3 * f + 1) * 3;
    const c = (index ? index[3 * f + 2] : 3 * f + 2) * 3;
    const ux = position[b] - position[a];
    const uy = position[b + 1] - position[a + 1];
    const uz = position[b + 2] - position[a + 2];
    const vx = position[c] - position[a];
    const vy = position[c + 1] - position[a + 1];
    const vz = position[c + 2] - position[a + 2];
    n[0] = uy * vz - uz * vy;
    n[1] = uz * vx - ux * vz;
    n[2] = ux * vy - uy * vx;
    const len = Math.hypot(n[0], n[1], n[2]);
    if (len === 0) continue;
    for (let axis = 0; axis < 3; axis++) {
      if (Math.abs(n[axis]) < HORIZONTAL_COS * len) continue;
      const centre = (position[a + axis] + position[b + axis] + position[c + axis]) / 3;
      if (centre - low[axis] < FLOOR_SLAB) score[names[axis][0]] += len / 2;
      if (high[axis] - centre < FLOOR_SLAB) score[names[axis][1]] += len / 2;
    }
  }
  let best: SignedAxis = '+y';
  for (const s of Object.keys(score) as SignedAxis[]) if (score[s] > score[best]) best = s;
  return score[best] > SWITCH_FACTOR * score['+y'] ? best : '+y';
}

/** Value at fraction q of the sorted coordinates along `axis` (subsampled to at most ~65k vertices). */
function percentile(position: ArrayLike<number>, vertexCount: number, axis: number, q: number): number {
  const step = Math.max(1, Math.floor(vertexCount / 65536));
  const values = new Float64Array(Math.ceil(vertexCount / step));
  for (let i = 0, k = 0; i < vertexCount; i += step, k++) values[k] = position[i * 3 + axis];
  values.sort();
  return values[Math.min(values.length - 1, Math.floor(q * values.length))];
}

/**
 * The proper rotation that takes `up` to +Y (a permutation with signs, so exact), as a function
 * of one point. Rotations keep triangle winding.
 */
function rotationToYUp(up: SignedAxis): (x: number, y: number, z: number) => [number, number, number] {
  switch (up) {
    case '+y':
      return (x, y, z) => [x, y, z];
    case '-y':
      return (x, y, z) => [x, -y, -z];
    case '+z':
      return (x, y, z) => [x, z, -y];
    case '-z':
      return (x, y, z) => [x, -z, y];
    case '+x':
      return (x, y, z) => [-y, x, z];
    case '-x':
      return (x, y, z) => [y, -x, z];
  }
}

/** Rotates positions [N*3] in place so that `up` becomes +Y. */
export function rotatePositionsToYUp(position: Float32Array | Float64Array, up: SignedAxis): void {
  const rotate = rotationToYUp(up);
  for (let i = 0; i < position.length; i += 3) {
    const r = rotate(position[i], position[i + 1], position[i + 2]);
    position[i] = r[0];
    position[i + 1] = r[1];
    position[i + 2] = r[2];
  }
}

/** The axis-aligned box of a box rotated so that `up` becomes +Y (exact for these rotations). */
export function rotateBoxToYUp(box: Box3Data, up: SignedAxis): Box3Data {
  const rotate = rotationToYUp(up);
  const a = rotate(...box.min);
  const b = rotate(...box.max);
  return {
    min: [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.min(a[2], b[2])],
    max: [Math.max(a[0], b[0]), Math.max(a[1], b[1]), Math.max(a[2], b[2])],
  };
}
