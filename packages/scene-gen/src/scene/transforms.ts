/** Row-major 4x4 of: scale by s, rotate by `yaw` radians about +Y, translate by t. */
export function placementTransform(s: number, yaw: number, t: [number, number, number]): number[] {
  const c = Math.cos(yaw);
  const n = Math.sin(yaw);
  return [c * s, 0, n * s, t[0], 0, s, 0, t[1], -n * s, 0, c * s, t[2], 0, 0, 0, 1];
}

/** World AABB of a local box under a row-major affine transform (the 8 corners transformed). */
export function transformBox(
  box: { min: number[]; max: number[] },
  m: number[],
): { min: [number, number, number]; max: [number, number, number] } {
  const min: [number, number, number] = [Infinity, Infinity, Infinity];
  const max: [number, number, number] = [-Infinity, -Infinity, -Infinity];
  for (let i = 0; i < 8; i++) {
    const p = [
      i & 1 ? box.max[0] : box.min[0],
      i & 2 ? box.max[1] : box.min[1],
      i & 4 ? box.max[2] : box.min[2],
    ];
    for (let r = 0; r < 3; r++) {
      const x = m[4 * r] * p[0] + m[4 * r + 1] * p[1] + m[4 * r + 2] * p[2] + m[4 * r + 3];
      min[r] = Math.min(min[r], x);
      max[r] = Math.max(max[r], x);
    }
  }
  return { min, max };
}
