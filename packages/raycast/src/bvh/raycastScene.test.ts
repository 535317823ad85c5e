import {
  boxIntersectsScene,
  buildSceneBVH,
  createRayHit,
  RaycastError,
  raycastAny,
  raycastFirst,
} from '@oxels/raycast';
import { createRng } from '@oxels/core';
import { BufferAttribute, BufferGeometry, DoubleSide, Ray, Vector3 } from 'three';
import { MeshBVH } from 'three-mesh-bvh';
import { describe, expect, it } from 'vitest';

/** Brute-force first hit over a triangle soup (the oracle), via three's own ray-triangle test. */
function bruteForce(soup: Float32Array, o: Vector3, d: Vector3): number {
  const ray = new Ray(o, d);
  const [a, b, c, p] = [new Vector3(), new Vector3(), new Vector3(), new Vector3()];
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < soup.length; i += 9) {
    a.fromArray(soup, i);
    b.fromArray(soup, i + 3);
    c.fromArray(soup, i + 6);
    if (ray.intersectTriangle(a, b, c, false, p)) best = Math.min(best, p.distanceTo(o));
  }
  return best;
}

function randomSoup(seed: number, triangles: number): Float32Array {
  const rng = createRng(seed);
  const soup = new Float32Array(triangles * 9);
  for (let t = 0; t < triangles; t++) {
    const centre = [rng.uniform(-2, 2), rng.uniform(-2, 2), rng.uniform(-2, 2)];
    for (let k = 0; k < 9; k++) soup[9 * t + k] = centre[k % 3] + rng.uniform(-0.3, 0.3);
  }
  return soup;
}

describe('raycastFirst', () => {
  for (const seed of [1, 2, 3]) {
    it(`agrees with a brute-force oracle on random triangles (seed ${seed})`, () => {
      const soup = randomSoup(seed, 1500);
      const scene = buildSceneBVH([{ positions: soup, instance: 7 }]);
      const rng = createRng(100 + seed);
      const hit = createRayHit();
      let hits = 0;
      for (let i = 0; i < 300; i++) {
        const o = new Vector3(rng.uniform(-2.5, 2.5), rng.uniform(-2.5, 2.5), 4);
        const d = new Vector3(rng.uniform(-0.5, 0.5), rng.uniform(-0.5, 0.5), -1).normalize();
        raycastFirst(scene, o.x, o.y, o.z, d.x, d.y, d.z, 0, Number.POSITIVE_INFINITY, hit);
        const expected = bruteForce(soup, o, d);
        if (Number.isFinite(expected)) {
          hits++;
          expect(hit.distance).toBeCloseTo(expected, 5);
          expect(hit.instance).toBe(7);
        } else {
          expect(hit.triangle).toBe(-1);
        }
        // Any-hit before the first hit finds nothing; just after it, it finds something.
        expect(raycastAny(scene, o.x, o.y, o.z, d.x, d.y, d.z, 0, hit.distance * 0.999)).toBe(false);
        if (Number.isFinite(expected)) {
          expect(raycastAny(scene, o.x, o.y, o.z, d.x, d.y, d.z, 0, hit.distance * 1.001)).toBe(true);
        }
      }
      expect(hits).toBeGreaterThan(100);
    });
  }

  it("agrees with three-mesh-bvh's own raycastFirst", () => {
    const soup = randomSoup(9, 1000);
    const scene = buildSceneBVH([{ positions: soup, instance: 0 }]);
    const geometry = new BufferGeometry();
    geometry.setAttribute('position', new BufferAttribute(soup.slice(), 3));
    const reference = new MeshBVH(geometry);
    const rng = createRng(10);
    const hit = createRayHit();
    for (let i = 0; i < 200; i++) {
      const o = new Vector3(rng.uniform(-3, 3), rng.uniform(-3, 3), 5);
      const d = new Vector3(rng.uniform(-0.4, 0.4), rng.uniform(-0.4, 0.4), -1).normalize();
      const ref = reference.raycastFirst(new Ray(o, d), DoubleSide);
      raycastFirst(scene, o.x, o.y, o.z, d.x, d.y, d.z, 0, Number.POSITIVE_INFINITY, hit);
      expect(hit.distance).toBeCloseTo(ref ? ref.distance : Number.POSITIVE_INFINITY, 5);
    }
  });

  it('keeps which instance each triangle belongs to, through transforms', () => {
    const unit = new Float32Array([-1, -1, 0, 1, -1, 0, 0, 1, 0]);
    const scene = buildSceneBVH([
      { positions: unit, instance: 0, transform: [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, -5, 0, 0, 0, 1] },
      { positions: unit, instance: 3, transform: [0.5, 0, 0, 0, 0, 0.5, 0, 0, 0, 0, 0.5, -2, 0, 0, 0, 1] },
    ]);
    const hit = raycastFirst(scene, 0, 0, 0, 0, 0, -1, 0, Number.POSITIVE_INFINITY, createRayHit());
    expect(hit.instance).toBe(3);
    expect(hit.distance).toBeCloseTo(2, 6);
    raycastFirst(scene, 0.8, -0.9, 0, 0, 0, -1, 0, Number.POSITIVE_INFINITY, hit);
    expect(hit.instance).toBe(0);
    expect(hit.distance).toBeCloseTo(5, 6);
  });

  it('rejects an empty scene, a NaN vertex and a bad index with clear errors', () => {
    expect(() => buildSceneBVH([])).toThrow(/no triangles/);
    const nan = new Float32Array([0, 0, 0, 1, 0, 0, 0, Number.NaN, 0]);
    expect(() => buildSceneBVH([{ positions: nan, instance: 2 }])).toThrow(RaycastError);
    expect(() => buildSceneBVH([{ positions: nan, instance: 2 }])).toThrow(
      /instance 2\) vertex 2 is not finite/,
    );
    const bad = { positions: new Float32Array(9), indices: new Uint32Array([0, 1, 5]), instance: 0 };
    expect(() => buildSceneBVH([bad])).toThrow(/index 2 = 5 is out of range/);
  });
});

describe('boxIntersectsScene', () => {
  it('finds exactly the boxes that a brute-force sampled test says touch a triangle (seed 4)', () => {
    // Oracle: a large triangle vs boxes; a box overlaps iff a dense sampling of the triangle has a point
    // inside it — checked on boxes well away from the boundary case.
    const tri = new Float32Array([0, 0, 0, 2, 0, 0, 0, 2, 1]);
    const scene = buildSceneBVH([{ positions: tri, instance: 0 }]);
    const rng = createRng(4);
    let inside = 0;
    for (let i = 0; i < 300; i++) {
      const c = [rng.uniform(-0.5, 2.5), rng.uniform(-0.5, 2.5), rng.uniform(-0.5, 1.5)];
      const s = rng.uniform(0.05, 0.4);
      const min: [number, number, number] = [c[0] - s, c[1] - s, c[2] - s];
      const max: [number, number, number] = [c[0] + s, c[1] + s, c[2] + s];
      let sampled = false;
      for (let a = 0; a <= 60 && !sampled; a++) {
        for (let b = 0; a + b <= 60; b++) {
          const p = [0, 1, 2].map((k) => (a / 60) * tri[3 + k] + (b / 60) * tri[6 + k]);
          if (p.every((x, k) => x >= min[k] && x <= max[k])) {
            sampled = true;
            break;
          }
        }
      }
      const got = boxIntersectsScene(scene, min, max);
      if (sampled) expect(got).toBe(true); // a sampled point inside proves overlap
      if (!got) expect(sampled).toBe(false);
      inside += got ? 1 : 0;
    }
    expect(inside).toBeGreaterThan(20);
    expect(boxIntersectsScene(scene, [5, 5, 5], [6, 6, 6])).toBe(false);
    // A box straddling the plane of the triangle, inside its outline.
    expect(boxIntersectsScene(scene, [0.2, 0.2, -1], [0.3, 0.3, 1])).toBe(true);
    // A box above the triangle's plane (z = y / 2 there), not touching it.
    expect(boxIntersectsScene(scene, [0.2, 0.2, 0.5], [0.3, 0.3, 0.6])).toBe(false);
  });
});
