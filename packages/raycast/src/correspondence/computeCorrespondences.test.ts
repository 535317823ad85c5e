import {
  buildSceneBVH,
  type Camera,
  type CorrespondenceMap,
  computeCorrespondences,
  correspondenceStats,
  createRayHit,
  intrinsicsFromFov,
  lookAtPose,
  pixelRay,
  prepareProjection,
  projectPoint,
  raycastDepthMap,
  raycastFirst,
  type SceneBVH,
  unprojectPixel,
  type Vec3,
} from '@oxels/raycast';
import { CorrespondenceStatus as S } from '@oxels/core';
import { describe, expect, it } from 'vitest';
import { boxRoom, quad, rayPlane } from '../../test/analyticScenes.ts';

const camera = (eye: Vec3, target: Vec3, w = 64, h = 48): Camera => ({
  ...intrinsicsFromFov(w, h, 60),
  pose: lookAtPose(eye, target),
});

/** The world point hit by A's ray through the centre of pixel p, given the analytic first-hit distance. */
function hitPoint(cam: Camera, p: number, distance: (o: Vec3, d: Vec3) => number): Vec3 | null {
  const ray = pixelRay(cam, (p % cam.width) + 0.5, Math.floor(p / cam.width) + 0.5);
  const t = distance(ray.origin, ray.direction);
  if (!Number.isFinite(t)) return null;
  return ray.direction.map((d, i) => ray.origin[i] + t * d) as Vec3;
}

/** Where P lands in `cam`, or null when outside the image / behind the camera. */
function landing(cam: Camera, p: Vec3): { u: number; v: number } | null {
  const hit = projectPoint(prepareProjection(cam), p[0], p[1], p[2], { u: 0, v: 0, depth: 0 });
  const inside = hit.depth > 1e-3 && hit.u >= 0 && hit.u < cam.width && hit.v >= 0 && hit.v < cam.height;
  return inside ? hit : null;
}

/** The properties every MATCH must hold (docs/architecture.md#properties-the-tests-check). */
function expectMatchProperties(scene: SceneBVH, camA: Camera, camB: Camera, map: CorrespondenceMap): void {
  const projB = prepareProjection(camB);
  const pix = { u: 0, v: 0, depth: 0 };
  const hit = createRayHit();
  for (let k = 0; k < map.status.length; k++) {
    if (map.status[k] !== S.MATCH) {
      expect(Number.isNaN(map.bXY[2 * k])).toBe(true);
      continue;
    }
    const p = map.aIndex[k];
    // Re-projection: unproject with A's ray depth, project into B: within 0.05 px of the stored position.
    const P = unprojectPixel(camA, (p % camA.width) + 0.5, Math.floor(p / camA.width) + 0.5, map.aDepth[k]);
    projectPoint(projB, P[0], P[1], P[2], pix);
    expect(Math.abs(pix.u - map.bXY[2 * k])).toBeLessThan(0.05);
    expect(Math.abs(pix.v - map.bXY[2 * k + 1])).toBeLessThan(0.05);
    // Casting back from B through the stored position hits a point within tol of P.
    const ray = pixelRay(camB, map.bXY[2 * k], map.bXY[2 * k + 1]);
    raycastFirst(scene, ...ray.origin, ...ray.direction, 1e-3, Number.POSITIVE_INFINITY, hit);
    const dist = Math.hypot(P[0] - ray.origin[0], P[1] - ray.origin[1], P[2] - ray.origin[2]);
    expect(Math.abs(hit.distance - dist)).toBeLessThan(1e-3 * dist);
  }
}

describe('computeCorrespondences', () => {
  it('samples K = round(W*H/8) distinct pixels, reproducibly per seed', () => {
    const scene = buildSceneBVH([quad(2, -5, [-20, -20], [20, 20])]);
    const a = camera([0, 0, 0], [0, 0, -5], 37, 23);
    const b = camera([0.5, 0, 0], [0, 0, -5], 37, 23);
    const m1 = computeCorrespondences(scene, a, b, { seed: 3 });
    const m2 = computeCorrespondences(scene, a, b, { seed: 3 });
    const m3 = computeCorrespondences(scene, a, b, { seed: 4 });
    expect(m1.aIndex.length).toBe(Math.round((37 * 23) / 8));
    expect(new Set(m1.aIndex).size).toBe(m1.aIndex.length);
    expect(Array.from(m1.aIndex)).toEqual([...m1.aIndex].sort((x, y) => x - y));
    expect(Buffer.from(m1.bXY.buffer).equals(Buffer.from(m2.bXY.buffer))).toBe(true);
    expect(Array.from(m1.aIndex)).not.toEqual(Array.from(m3.aIndex));
  });

  it('maps a plane seen from two cameras exactly; the borders go out of view', () => {
    const scene = buildSceneBVH([quad(2, -5, [-20, -20], [20, 20])]);
    const camA = camera([0, 0, 0], [0, 0, -5]);
    const camB = camera([1.5, 0.3, 0.2], [1.2, 0, -5]);
    const map = computeCorrespondences(scene, camA, camB, { seed: 1, fraction: 0.5 });
    const wall = (o: Vec3, d: Vec3) => rayPlane(o, d, 2, -5);
    let outOfView = 0;
    map.aIndex.forEach((p, k) => {
      const P = hitPoint(camA, p, wall)!;
      const expected = landing(camB, P);
      expect(map.status[k]).toBe(expected ? S.MATCH : S.OUT_OF_VIEW);
      if (expected) {
        expect(Math.abs(map.bXY[2 * k] - expected.u)).toBeLessThan(1e-3);
        expect(Math.abs(map.bXY[2 * k + 1] - expected.v)).toBeLessThan(1e-3);
      } else outOfView++;
    });
    expect(outOfView).toBeGreaterThan(50);
    expectMatchProperties(scene, camA, camB, map);
  });

  it('marks exactly the predicted samples occluded by a quad in front of a wall', () => {
    const occluder = { z: -2, x: [0.6, 1.6] as [number, number], y: [-0.4, 0.6] as [number, number] };
    const scene = buildSceneBVH([
      quad(2, -5, [-20, -20], [20, 20]),
      quad(2, occluder.z, [occluder.x[0], occluder.y[0]], [occluder.x[1], occluder.y[1]], 1),
    ]);
    const camA = camera([-1, 0, 0], [0, 0, -5]);
    const camB = camera([2, 0.2, 0.5], [0.5, 0, -5]);
    const map = computeCorrespondences(scene, camA, camB, { seed: 2, fraction: 1 });
    const inOccluder = (x: number, y: number) =>
      x >= occluder.x[0] && x <= occluder.x[1] && y >= occluder.y[0] && y <= occluder.y[1];
    const firstHit = (o: Vec3, d: Vec3) => {
      const t = rayPlane(o, d, 2, occluder.z);
      return Number.isFinite(t) && inOccluder(o[0] + t * d[0], o[1] + t * d[1]) ? t : rayPlane(o, d, 2, -5);
    };
    const cB = [2, 0.2, 0.5];
    const counts = [0, 0, 0, 0];
    map.aIndex.forEach((p, k) => {
      const P = hitPoint(camA, p, firstHit)!;
      let expected: number = landing(camB, P) ? S.MATCH : S.OUT_OF_VIEW;
      if (expected === S.MATCH && P[2] < occluder.z - 1e-6) {
        // The segment from B's centre to P crosses the occluder's plane at s; inside the quad: hidden.
        const s = (occluder.z - cB[2]) / (P[2] - cB[2]);
        if (inOccluder(cB[0] + s * (P[0] - cB[0]), cB[1] + s * (P[1] - cB[1]))) expected = S.OCCLUDED;
        // Silhouette: P is seen at its subpixel position, but the centre of its B pixel sees the occluder.
        const at = landing(camB, P)!;
        const centre = pixelRay(camB, Math.floor(at.u) + 0.5, Math.floor(at.v) + 0.5);
        const t = rayPlane(centre.origin, centre.direction, 2, occluder.z);
        if (
          inOccluder(centre.origin[0] + t * centre.direction[0], centre.origin[1] + t * centre.direction[1])
        ) {
          expected = S.OCCLUDED;
        }
      }
      expect(map.status[k]).toBe(expected);
      counts[expected]++;
    });
    expect(counts[S.OCCLUDED]).toBeGreaterThan(100);
    expect(counts[S.MATCH]).toBeGreaterThan(500);
    const stats = correspondenceStats(map);
    expect(stats.occluded).toBe(counts[S.OCCLUDED]);
    expectMatchProperties(scene, camA, camB, map);
  });

  it('sees a box room from inside with no misses, and every match holds the MATCH properties', () => {
    const scene = buildSceneBVH(boxRoom([-3, 0, -4], [3, 3, 4]));
    const camA = camera([0, 1.5, 2], [1, 1, -2]);
    const camB = camera([-1, 1.6, 1], [0.5, 1, -3]);
    const map = computeCorrespondences(scene, camA, camB, { seed: 5 });
    const stats = correspondenceStats(map);
    expect(stats.miss).toBe(0);
    expect(stats.occluded).toBe(0); // a convex room hides nothing
    expect(stats.matchFraction).toBeGreaterThan(0.3);
    expectMatchProperties(scene, camA, camB, map);
  });

  it('puts everything out of view when B looks away, and misses when A looks at nothing', () => {
    const scene = buildSceneBVH([quad(2, -5, [-20, -20], [20, 20])]);
    const camA = camera([0, 0, 0], [0, 0, -5]);
    const away = computeCorrespondences(scene, camA, camera([0, 0, -1], [0, 0, 5]));
    expect(correspondenceStats(away).outOfView).toBe(away.aIndex.length);
    const sky = computeCorrespondences(scene, camera([0, 0, 0], [0, 0, 5]), camA);
    expect(correspondenceStats(sky).miss).toBe(sky.aIndex.length);
  });
});

describe('raycastDepthMap', () => {
  it('returns the z-depth (not ray length) of a plane at every pixel, and instance ids', () => {
    const scene = buildSceneBVH([
      quad(2, -5, [-20, -20], [20, 20]),
      quad(2, -3, [-0.5, -0.5], [0.5, 0.5], 4),
    ]);
    const cam = camera([0, 0, 0], [0, 0, -5]);
    const { depth, instance } = raycastDepthMap(scene, cam);
    // Pixel (0, 0) looks at the far wall obliquely: its z-depth is still exactly 5.
    expect(depth[0]).toBeCloseTo(5, 5);
    expect(instance[0]).toBe(0);
    const centre = 24 * 64 + 32;
    expect(depth[centre]).toBeCloseTo(3, 5);
    expect(instance[centre]).toBe(4);
  });
});
