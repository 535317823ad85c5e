import type { SceneBVH } from './SceneBVH.ts';

/** The first surface a ray meets. */
export interface RayHit {
  /** Distance along the (unit) ray direction, metres; Infinity when nothing was hit. */
  distance: number;
  /** Triangle slot in the SceneBVH (BVH leaf order); -1 when nothing was hit. */
  triangle: number;
  /** Instance id of the hit triangle; -1 when nothing was hit. */
  instance: number;
}

/** A fresh, empty RayHit to pass as `target`. */
export function createRayHit(): RayHit {
  return { distance: Number.POSITIVE_INFINITY, triangle: -1, instance: -1 };
}

// Traversal stacks; the functions below are non-reentrant (single-threaded JS never re-enters them).
const stack = new Int32Array(256);
const IS_LEAF = 0xffff;
const NODE_U32 = 8;
const DET_EPSILON = 1e-14;

/**
 * Casts one ray through the scene and writes its first hit into `target` (double-sided triangles,
 * edges inclusive, so a ray through a shared edge never slips between two triangles).
 * Only hits with near < t < far count. Direction must be unit length for `distance` to be metres.
 * Allocation-free; traverses three-mesh-bvh's packed nodes front to back and culls boxes beyond the
 * nearest hit so far.
 */
export function raycastFirst(
  scene: SceneBVH,
  ox: number,
  oy: number,
  oz: number,
  dx: number,
  dy: number,
  dz: number,
  near: number,
  far: number,
  target: RayHit,
): RayHit {
  const { nodeF32: f32, nodeU32: u32, nodeU16: u16 } = scene;
  const tri = scene.triangles;
  const ix = 1 / dx;
  const iy = 1 / dy;
  const iz = 1 / dz;
  let best = far;
  let bestTri = -1;
  let sp = 0;
  stack[sp++] = 0;
  while (sp > 0) {
    const n = stack[--sp];
    if (!boxHit(f32, n, ox, oy, oz, ix, iy, iz, near, best)) continue;
    const n16 = 2 * n;
    if (u16[n16 + 15] === IS_LEAF) {
      const offset = u32[n + 6];
      const end = offset + u16[n16 + 14];
      for (let i = offset; i < end; i++) {
        const t = intersectTriangle(tri, 9 * i, ox, oy, oz, dx, dy, dz);
        if (t > near && t < best) {
          best = t;
          bestTri = i;
        }
      }
    } else {
      const left = n + NODE_U32;
      const right = n + u32[n + 6] * NODE_U32;
      const axis = u32[n + 7];
      const forward = axis === 0 ? dx >= 0 : axis === 1 ? dy >= 0 : dz >= 0;
      // Push the far child first, so the near child is popped (and can tighten `best`) first.
      if (forward) {
        stack[sp++] = right;
        stack[sp++] = left;
      } else {
        stack[sp++] = left;
        stack[sp++] = right;
      }
    }
  }
  target.triangle = bestTri;
  target.distance = bestTri < 0 ? Number.POSITIVE_INFINITY : best;
  target.instance = bestTri < 0 ? -1 : scene.triangleInstance[bestTri];
  return target;
}

/**
 * True when any surface lies on the ray with near < t < far (an occlusion query: stops at the first
 * such triangle found, in no particular order). Allocation-free, non-reentrant.
 */
export function raycastAny(
  scene: SceneBVH,
  ox: number,
  oy: number,
  oz: number,
  dx: number,
  dy: number,
  dz: number,
  near: number,
  far: number,
): boolean {
  const { nodeF32: f32, nodeU32: u32, nodeU16: u16 } = scene;
  const tri = scene.triangles;
  const ix = 1 / dx;
  const iy = 1 / dy;
  const iz = 1 / dz;
  let sp = 0;
  stack[sp++] = 0;
  while (sp > 0) {
    const n = stack[--sp];
    if (!boxHit(f32, n, ox, oy, oz, ix, iy, iz, near, far)) continue;
    const n16 = 2 * n;
    if (u16[n16 + 15] === IS_LEAF) {
      const offset = u32[n + 6];
      const end = offset + u16[n16 + 14];
      for (let i = offset; i < end; i++) {
        const t = intersectTriangle(tri, 9 * i, ox, oy, oz, dx, dy, dz);
        if (t > near && t < far) return true;
      }
    } else {
      stack[sp++] = n + u32[n + 6] * NODE_U32;
      stack[sp++] = n + NODE_U32;
    }
  }
  return false;
}

/** Slab test of node n's box against the ray segment [near, far]. NaN slabs (0 * inf) are ignored. */
function boxHit(
  f: Float32Array,
  n: number,
  ox: number,
  oy: number,
  oz: number,
  ix: number,
  iy: number,
  iz: number,
  near: number,
  far: number,
): boolean {
  let t0 = (f[n] - ox) * ix;
  let t1 = (f[n + 3] - ox) * ix;
  let lo = near;
  let hi = far;
  if (t0 > t1) {
    const s = t0;
    t0 = t1;
    t1 = s;
  }
  if (t0 > lo) lo = t0;
  if (t1 < hi) hi = t1;
  t0 = (f[n + 1] - oy) * iy;
  t1 = (f[n + 4] - oy) * iy;
  if (t0 > t1) {
    const s = t0;
    t0 = t1;
    t1 = s;
  }
  if (t0 > lo) lo = t0;
  if (t1 < hi) hi = t1;
  t0 = (f[n + 2] - oz) * iz;
  t1 = (f[n + 5] - oz) * iz;
  if (t0 > t1) {
    const s = t0;
    t0 = t1;
    t1 = s;
  }
  if (t0 > lo) lo = t0;
  if (t1 < hi) hi = t1;
  return lo <= hi;
}

/**
 * Double-sided Moller-Trumbore: distance t along the ray to triangle at tri[o..o+8], or NaN when
 * the ray misses it (NaN fails every comparison the callers make).
 */
function intersectTriangle(
  tri: Float32Array,
  o: number,
  ox: number,
  oy: number,
  oz: number,
  dx: number,
  dy: number,
  dz: number,
): number {
  const ax = tri[o];
  const ay = tri[o + 1];
  const az = tri[o + 2];
  const e1x = tri[o + 3] - ax;
  const e1y = tri[o + 4] - ay;
  const e1z = tri[o + 5] - az;
  const e2x = tri[o + 6] - ax;
  const e2y = tri[o + 7] - ay;
  const e2z = tri[o + 8] - az;
  const px = dy * e2z - dz * e2y;
  const py = dz * e2x - dx * e2z;
  const pz = dx * e2y - dy * e2x;
  const det = e1x * px + e1y * py + e1z * pz;
  if (det > -DET_EPSILON && det < DET_EPSILON) return Number.NaN;
  const inv = 1 / det;
  const sx = ox - ax;
  const sy = oy - ay;
  const sz = oz - az;
  const u = (sx * px + sy * py + sz * pz) * inv;
  if (u < 0 || u > 1) return Number.NaN;
  const qx = sy * e1z - sz * e1y;
  const qy = sz * e1x - sx * e1z;
  const qz = sx * e1y - sy * e1x;
  const v = (dx * qx + dy * qy + dz * qz) * inv;
  if (v < 0 || u + v > 1) return Number.NaN;
  return (e2x * qx + e2y * qy + e2z * qz) * inv;
}
