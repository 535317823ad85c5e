import type { SceneBVH } from './SceneBVH.ts';

const IS_LEAF = 0xffff;
const NODE_U32 = 8;
const stack = new Int32Array(256);

/**
 * True when any triangle of the scene overlaps the axis-aligned box [min, max] (metres), touching
 * included. Used to keep placed objects out of walls and fixtures. Non-reentrant (shared stack).
 */
export function boxIntersectsScene(
  scene: SceneBVH,
  min: [number, number, number],
  max: [number, number, number],
): boolean {
  const { nodeF32: f, nodeU32: u32, nodeU16: u16, triangles } = scene;
  let sp = 0;
  stack[sp++] = 0;
  while (sp > 0) {
    const n = stack[--sp];
    if (
      f[n] > max[0] ||
      f[n + 3] < min[0] ||
      f[n + 1] > max[1] ||
      f[n + 4] < min[1] ||
      f[n + 2] > max[2] ||
      f[n + 5] < min[2]
    ) {
      continue;
    }
    const n16 = 2 * n;
    if (u16[n16 + 15] === IS_LEAF) {
      const offset = u32[n + 6];
      const end = offset + u16[n16 + 14];
      for (let i = offset; i < end; i++) if (triangleOverlapsBox(triangles, 9 * i, min, max)) return true;
    } else {
      stack[sp++] = n + u32[n + 6] * NODE_U32;
      stack[sp++] = n + NODE_U32;
    }
  }
  return false;
}

const v = new Float64Array(9);
const e = new Float64Array(9);

/**
 * Separating-axis test of a triangle against a box (Akenine-Moller, "Fast 3D triangle-box overlap
 * testing", 2001): the box's 3 axes, the triangle's normal, and the 9 edge-axis cross products.
 */
function triangleOverlapsBox(tri: Float32Array, o: number, min: number[], max: number[]): boolean {
  const c = [(min[0] + max[0]) / 2, (min[1] + max[1]) / 2, (min[2] + max[2]) / 2];
  const h = [(max[0] - min[0]) / 2, (max[1] - min[1]) / 2, (max[2] - min[2]) / 2];
  for (let k = 0; k < 9; k++) v[k] = tri[o + k] - c[k % 3];
  for (let k = 0; k < 3; k++) {
    e[k] = v[3 + k] - v[k];
    e[3 + k] = v[6 + k] - v[3 + k];
    e[6 + k] = v[k] - v[6 + k];
  }
  // Box axes: the triangle's extent along x, y, z against the half-sizes.
  for (let a = 0; a < 3; a++) {
    const lo = Math.min(v[a], v[3 + a], v[6 + a]);
    const hi = Math.max(v[a], v[3 + a], v[6 + a]);
    if (lo > h[a] || hi < -h[a]) return false;
  }
  // Triangle normal.
  const nx = e[1] * e[5] - e[2] * e[4];
  const ny = e[2] * e[3] - e[0] * e[5];
  const nz = e[0] * e[4] - e[1] * e[3];
  const d = nx * v[0] + ny * v[1] + nz * v[2];
  const r = h[0] * Math.abs(nx) + h[1] * Math.abs(ny) + h[2] * Math.abs(nz);
  if (Math.abs(d) > r) return false;
  // Cross products of each edge with each box axis.
  for (let i = 0; i < 3; i++) {
    const ex = e[3 * i];
    const ey = e[3 * i + 1];
    const ez = e[3 * i + 2];
    const axes = [
      [0, -ez, ey],
      [ez, 0, -ex],
      [-ey, ex, 0],
    ];
    for (const [ax, ay, az] of axes) {
      const p0 = ax * v[0] + ay * v[1] + az * v[2];
      const p1 = ax * v[3] + ay * v[4] + az * v[5];
      const p2 = ax * v[6] + ay * v[7] + az * v[8];
      const rad = h[0] * Math.abs(ax) + h[1] * Math.abs(ay) + h[2] * Math.abs(az);
      if (Math.min(p0, p1, p2) > rad || Math.max(p0, p1, p2) < -rad) return false;
    }
  }
  return true;
}
