import {
  type Camera,
  fromThreeCamera,
  intrinsicsFromFov,
  lookAtPose,
  pixelRay,
  prepareProjection,
  projectPoint,
  RaycastError,
  toThreeCamera,
  unprojectPixel,
  validateCamera,
} from '@oxels/raycast';
import { Vector3 } from 'three';
import { describe, expect, it } from 'vitest';

const offCentre: Camera = {
  width: 64,
  height: 48,
  fx: 50,
  fy: 55,
  cx: 30.5,
  cy: 26.25,
  pose: lookAtPose([1, 1.5, 3], [0.2, 0.8, 0], [0, 1, 0]),
};

describe('camera model', () => {
  it('puts the pixel centre convention and row order as docs/architecture.md#pixel-coordinates says', () => {
    // Camera at the origin looking down -Z: a point straight ahead lands on the principal point,
    // a point above the axis lands in a smaller row (v downwards), a point to the right in a larger u.
    const cam: Camera = { ...intrinsicsFromFov(8, 6, 60), pose: lookAtPose([0, 0, 0], [0, 0, -1]) };
    const proj = prepareProjection(cam);
    const hit = { u: 0, v: 0, depth: 0 };
    projectPoint(proj, 0, 0, -2, hit);
    expect([hit.u, hit.v, hit.depth]).toEqual([4, 3, 2]);
    projectPoint(proj, 0, 0.5, -2, hit);
    expect(hit.v).toBeLessThan(3);
    projectPoint(proj, 0.5, 0, -2, hit);
    expect(hit.u).toBeGreaterThan(4);
    // The ray through pixel (0, 0)'s centre re-projects to (0.5, 0.5).
    const ray = pixelRay(cam, 0.5, 0.5);
    const p = ray.direction.map((d, i) => ray.origin[i] + 3 * d);
    projectPoint(proj, p[0], p[1], p[2], hit);
    expect(hit.u).toBeCloseTo(0.5, 10);
    expect(hit.v).toBeCloseTo(0.5, 10);
    expect(hit.depth).toBeCloseTo(3 * ray.cosine, 10);
  });

  it('round-trips unproject -> project, off-centre and fx != fy (seed 7)', () => {
    const proj = prepareProjection(offCentre);
    const hit = { u: 0, v: 0, depth: 0 };
    for (let i = 0; i < 50; i++) {
      const u = (i * 7.3) % 64;
      const v = (i * 3.1) % 48;
      const depth = 0.5 + (i % 5);
      const [x, y, z] = unprojectPixel(offCentre, u, v, depth);
      projectPoint(proj, x, y, z, hit);
      expect(hit.u).toBeCloseTo(u, 9);
      expect(hit.v).toBeCloseTo(v, 9);
      expect(hit.depth).toBeCloseTo(depth, 9);
    }
  });

  it('gives a three.js camera that projects every point to the same pixel', () => {
    const three = toThreeCamera(offCentre, 0.05, 50);
    const proj = prepareProjection(offCentre);
    const hit = { u: 0, v: 0, depth: 0 };
    for (let i = 0; i < 20; i++) {
      const world = unprojectPixel(offCentre, (i * 13.7) % 64, (i * 5.9) % 48, 1 + (i % 4));
      const ndc = new Vector3(...world).project(three);
      projectPoint(proj, world[0], world[1], world[2], hit);
      expect(((ndc.x + 1) / 2) * 64).toBeCloseTo(hit.u, 4);
      expect(((1 - ndc.y) / 2) * 48).toBeCloseTo(hit.v, 4);
    }
    const back = fromThreeCamera(three, 64, 48);
    for (const key of ['fx', 'fy', 'cx', 'cy'] as const) expect(back[key]).toBeCloseTo(offCentre[key], 6);
    for (const [i, x] of back.pose.entries()) expect(x).toBeCloseTo(offCentre.pose[i], 6);
  });

  it('rejects degenerate cameras with a message naming the problem', () => {
    expect(() => lookAtPose([0, 0, 0], [0, 0, 0])).toThrow(/eye - target is degenerate/);
    expect(() => lookAtPose([0, 0, 0], [0, 5, 0])).toThrow(/up x view direction is degenerate/);
    expect(() => validateCamera({ ...offCentre, fx: 0 })).toThrow(RaycastError);
    expect(() => validateCamera({ ...offCentre, width: 0 })).toThrow(/size must be positive/);
    const sheared = [...offCentre.pose];
    sheared[0] *= 2;
    expect(() => validateCamera({ ...offCentre, pose: sheared })).toThrow(/not orthonormal/);
    expect(() => validateCamera({ ...offCentre, pose: [1, 2, 3] })).toThrow(/16 finite numbers/);
  });
});
