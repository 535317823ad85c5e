import { createRayHit, raycastAny, raycastFirst } from '../bvh/raycastScene.ts';
import type { SceneBVH } from '../bvh/SceneBVH.ts';
import type { Camera } from '../camera/Camera.ts';
import { validateCamera } from '../camera/Camera.ts';
import { prepareProjection, projectPoint } from '../camera/projection.ts';
import { CorrespondenceStatus, createRng, sampleWithoutReplacement } from '@oxels/core';
import { assert } from '../errors.ts';

/**
 * The correspondence map of a view pair (A, B): K sampled pixels of A, each with a status and, for
 * MATCH, its subpixel position in B. Shapes as stored in shards (docs/architecture.md#sample-files).
 */
export interface CorrespondenceMap {
  /** Size of view A. */
  width: number;
  height: number;
  /** int32 [K]: sampled pixel indices y * width + x in A, ascending. */
  aIndex: Int32Array;
  /** float32 [K, 2]: subpixel (u, v) in B; NaN unless MATCH. */
  bXY: Float32Array;
  /** uint8 [K]: CorrespondenceStatus. */
  status: Uint8Array;
  /** float32 [K]: z-depth in A of the surface hit (metres); 0 for MISS. */
  aDepth: Float32Array;
}

/** Options of the correspondence computation. */
export interface CorrespondenceOptions {
  /** Seed of the pixel sampling. */
  seed: number;
  /** Fraction of A's pixels sampled: K = round(W * H * fraction). */
  fraction: number;
  /** Relative tolerance of the back-cast occlusion test (fraction of the distance from B). */
  tolerance: number;
  /** Near distance in metres: surfaces closer to a camera than this are not seen. */
  near: number;
}

export const DEFAULT_CORRESPONDENCE_OPTIONS: CorrespondenceOptions = {
  seed: 0,
  fraction: 1 / 8,
  tolerance: 1e-3,
  near: 1e-3,
};

/** The sampled pixels of A: K = round(W * H * fraction) distinct indices, ascending, seeded. */
export function sampleCorrespondencePixels(
  camA: Camera,
  options: Partial<CorrespondenceOptions> = {},
): Int32Array {
  const { seed, fraction } = { ...DEFAULT_CORRESPONDENCE_OPTIONS, ...options };
  assert(
    fraction > 0 && fraction <= 1,
    'BAD_ARGUMENT',
    () => `sampleCorrespondencePixels: fraction must be in (0, 1] (got ${fraction})`,
  );
  const n = camA.width * camA.height;
  return sampleWithoutReplacement(n, Math.round(n * fraction), createRng(seed));
}

/**
 * Computes the correspondence map of the pair (A, B) over the scene (docs/architecture.md#occlusion-test):
 * for each sampled pixel p of A, cast from A's centre through p's centre (no hit: MISS); project the
 * hit P into B (outside the image or not in front of B's near plane: OUT_OF_VIEW); cast from B's
 * centre towards P: any surface before |P - cB| * (1 - tolerance) makes it OCCLUDED; so does a surface
 * covering the centre of the B pixel that stores the match (floor(u), floor(v)) in front of P's
 * tangent plane and more than two pixel footprints away from P (a silhouette; nearer than that is the
 * same surface at a crease); otherwise MATCH. So the B pixel a trainer reads shows P's surface.
 *
 * The back-cast asks "is anything in front of P?" rather than "is the first hit within tolerance of
 * P?": the two agree whenever the back ray meets P's own surface, and the first does not wrongly
 * report OCCLUDED when a back ray through a mesh edge slips past P's triangle in floating point.
 */
export function computeCorrespondences(
  scene: SceneBVH,
  camA: Camera,
  camB: Camera,
  options: Partial<CorrespondenceOptions> = {},
): CorrespondenceMap {
  validateCamera(camA, 'camera A');
  validateCamera(camB, 'camera B');
  const aIndex = sampleCorrespondencePixels(camA, options);
  const k = aIndex.length;
  const map: CorrespondenceMap = {
    width: camA.width,
    height: camA.height,
    aIndex,
    bXY: new Float32Array(2 * k),
    status: new Uint8Array(k),
    aDepth: new Float32Array(k),
  };
  correspondencesForPixels(scene, camA, camB, map, 0, k, options);
  return map;
}

/**
 * Fills entries [start, end) of `map` (whose `aIndex` is already set): the per-pixel kernel of
 * `computeCorrespondences`, also run on slices by worker threads. Mutates map.bXY, status, aDepth.
 */
export function correspondencesForPixels(
  scene: SceneBVH,
  camA: Camera,
  camB: Camera,
  map: CorrespondenceMap,
  start: number,
  end: number,
  options: Partial<CorrespondenceOptions> = {},
): void {
  const { tolerance, near } = { ...DEFAULT_CORRESPONDENCE_OPTIONS, ...options };
  const { aIndex, bXY, status, aDepth } = map;
  const projB = prepareProjection(camB);
  const pixelB = { u: 0, v: 0, depth: 0 };
  const hit = createRayHit();
  const centre = createRayHit();
  const { width, fx, fy, cx, cy, pose: m } = camA;
  const [ax, ay, az] = [m[3], m[7], m[11]];
  const [bx, by, bz] = [camB.pose[3], camB.pose[7], camB.pose[11]];
  for (let k = start; k < end; k++) {
    const p = aIndex[k];
    // Ray through the pixel centre, in camera then world coordinates (unit length).
    const xc = ((p % width) + 0.5 - cx) / fx;
    const yc = -(Math.floor(p / width) + 0.5 - cy) / fy;
    const inv = 1 / Math.hypot(xc, yc, 1);
    const dx = (m[0] * xc + m[1] * yc - m[2]) * inv;
    const dy = (m[4] * xc + m[5] * yc - m[6]) * inv;
    const dz = (m[8] * xc + m[9] * yc - m[10]) * inv;
    bXY[2 * k] = Number.NaN;
    bXY[2 * k + 1] = Number.NaN;
    raycastFirst(scene, ax, ay, az, dx, dy, dz, near, Number.POSITIVE_INFINITY, hit);
    if (hit.triangle < 0) {
      status[k] = CorrespondenceStatus.MISS;
      aDepth[k] = 0;
      continue;
    }
    aDepth[k] = hit.distance * inv; // ray length -> z-depth
    const px = ax + dx * hit.distance;
    const py = ay + dy * hit.distance;
    const pz = az + dz * hit.distance;
    projectPoint(projB, px, py, pz, pixelB);
    const { u, v } = pixelB;
    if (!(pixelB.depth > near && u >= 0 && u < camB.width && v >= 0 && v < camB.height)) {
      status[k] = CorrespondenceStatus.OUT_OF_VIEW;
      continue;
    }
    const ex = px - bx;
    const ey = py - by;
    const ez = pz - bz;
    const dist = Math.hypot(ex, ey, ez);
    if (raycastAny(scene, bx, by, bz, ex / dist, ey / dist, ez / dist, near, dist * (1 - tolerance))) {
      status[k] = CorrespondenceStatus.OCCLUDED;
      continue;
    }
    // The pixel of B that stores the match must show P's surface at its centre too: at a silhouette
    // the subpixel position can see P while the pixel centre sees the occluder. Cast through the centre
    // up to where it meets P's triangle plane; anything before that (beyond tolerance) covers the pixel.
    const t = 9 * hit.triangle;
    const tri = scene.triangles;
    const e1x = tri[t + 3] - tri[t];
    const e1y = tri[t + 4] - tri[t + 1];
    const e1z = tri[t + 5] - tri[t + 2];
    const e2x = tri[t + 6] - tri[t];
    const e2y = tri[t + 7] - tri[t + 1];
    const e2z = tri[t + 8] - tri[t + 2];
    const nx = e1y * e2z - e1z * e2y;
    const ny = e1z * e2x - e1x * e2z;
    const nz = e1x * e2y - e1y * e2x;
    const qx = (Math.floor(u) + 0.5 - camB.cx) / camB.fx;
    const qy = -(Math.floor(v) + 0.5 - camB.cy) / camB.fy;
    const qn = 1 / Math.hypot(qx, qy, 1);
    const mb = camB.pose;
    const cdx = (mb[0] * qx + mb[1] * qy - mb[2]) * qn;
    const cdy = (mb[4] * qx + mb[5] * qy - mb[6]) * qn;
    const cdz = (mb[8] * qx + mb[9] * qy - mb[10]) * qn;
    const facing = nx * cdx + ny * cdy + nz * cdz;
    const tPlane = (nx * ex + ny * ey + nz * ez) / facing;
    // A plane seen edge-on (or behind B at the pixel centre) cannot be compared; the subpixel test stands.
    if (Math.abs(facing) > 1e-9 * Math.hypot(nx, ny, nz) && tPlane > near) {
      raycastFirst(scene, bx, by, bz, cdx, cdy, cdz, near, tPlane * (1 - tolerance), centre);
      // A hit within two pixel footprints of P is the same surface bending at a crease, not an occluder.
      const gap = Math.hypot(
        bx + cdx * centre.distance - px,
        by + cdy * centre.distance - py,
        bz + cdz * centre.distance - pz,
      );
      if (centre.triangle >= 0 && gap > (2 * dist) / Math.min(camB.fx, camB.fy)) {
        status[k] = CorrespondenceStatus.OCCLUDED;
        continue;
      }
    }
    status[k] = CorrespondenceStatus.MATCH;
    bXY[2 * k] = u;
    bXY[2 * k + 1] = v;
  }
}

/** Counts of each status in a correspondence map, and the match fraction of all K samples. */
export interface CorrespondenceStats {
  total: number;
  match: number;
  occluded: number;
  outOfView: number;
  miss: number;
  matchFraction: number;
}

/** Counts the statuses of a map. */
export function correspondenceStats(map: Pick<CorrespondenceMap, 'status'>): CorrespondenceStats {
  const counts = [0, 0, 0, 0];
  for (const s of map.status) counts[s]++;
  const total = map.status.length;
  return {
    total,
    match: counts[0],
    occluded: counts[1],
    outOfView: counts[2],
    miss: counts[3],
    matchFraction: total ? counts[0] / total : 0,
  };
}
