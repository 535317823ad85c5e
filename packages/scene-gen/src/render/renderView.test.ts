import {
  type Camera,
  intrinsicsFromFov,
  lookAtPose,
  pixelRay,
  prepareProjection,
  projectPoint,
  unprojectPixel,
  type Vec3,
} from '@oxels/raycast';
import { NO_INSTANCE } from '@oxels/core';
import { BufferAttribute } from 'three';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImageRGBA } from '../assets/Asset.ts';
import {
  ambientOnly,
  assetOf,
  boxGeometry,
  emptyRoom,
  IDENTITY,
  matte,
  quadGeometry,
  sceneOf,
} from '../../test/renderFixtures.ts';
import { buildThreeScene } from './buildThreeScene.ts';
import { createRenderer, type Renderer } from './Renderer.ts';
import { renderView } from './renderView.ts';
import { ThreeAssetCache } from './ThreeAssetCache.ts';

// One renderer for the file: Dawn start-up costs far more than these tiny frames. No tone mapping, so
// colours can be checked against the shading model exactly.
let renderer: Renderer;
beforeAll(async () => {
  renderer = await createRenderer({ toneMapping: 'none' });
});
afterAll(async () => {
  await renderer?.dispose();
});

/** An off-centre, non-square-pixel camera: misplaced cx/cy or swapped fx/fy would shift pixels. */
const CAMERA: Camera = {
  width: 64,
  height: 48,
  fx: 50,
  fy: 55,
  cx: 30.3,
  cy: 25.7,
  pose: lookAtPose([1, 1.6, 2.5], [0.2, 0.8, -1]),
};

/** Pixel indices whose centres lie inside the convex polygon (u, v) (either winding). */
function pixelsInside(poly: [number, number][], width: number, height: number): number[] {
  const inside: number[] = [];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const signs = poly.map(([u0, v0], k) => {
        const [u1, v1] = poly[(k + 1) % poly.length];
        return Math.sign((u1 - u0) * (y + 0.5 - v0) - (v1 - v0) * (x + 0.5 - u0));
      });
      if (signs.every((s) => s > 0) || signs.every((s) => s < 0)) inside.push(y * width + x);
    }
  }
  return inside;
}

/** Distance from the nearest pixel centre to the polygon's edges, in pixels (fixture sanity). */
function edgeMargin(poly: [number, number][], width: number, height: number): number {
  let margin = Number.POSITIVE_INFINITY;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      poly.forEach(([u0, v0], k) => {
        const [u1, v1] = poly[(k + 1) % poly.length];
        const len = Math.hypot(u1 - u0, v1 - v0);
        const t = Math.max(
          0,
          Math.min(1, ((x + 0.5 - u0) * (u1 - u0) + (y + 0.5 - v0) * (v1 - v0)) / len ** 2),
        );
        margin = Math.min(margin, Math.hypot(x + 0.5 - u0 - t * (u1 - u0), y + 0.5 - v0 - t * (v1 - v0)));
      });
    }
  }
  return margin;
}

describe('renderView', () => {
  it('lights exactly the pixels that projectPoint predicts for small quads (orientation, cx/cy, fx/fy)', async () => {
    // Quad 1: 2x2 pixels near the top right, parallel to the image. Quad 2: tilted (corners at different
    // depths) near the bottom left. Both given in world space; the expectation comes from projectPoint.
    const q1 = (
      [
        [41.2, 10.6],
        [42.8, 10.6],
        [42.8, 9.3],
        [41.2, 9.3],
      ] as const
    ).map(([u, v]) => unprojectPixel(CAMERA, u, v, 3));
    const q2 = (
      [
        [9.6, 37.6, 2.5],
        [17.1, 39.1, 3.5],
        [17.4, 31.6, 3],
        [10.2, 29.8, 2],
      ] as const
    ).map(([u, v, d]) => unprojectPixel(CAMERA, u, v, d));
    const room = emptyRoom();
    const a = assetOf('q1', 'object', quadGeometry(q1), matte([1, 1, 1]));
    const b = assetOf('q2', 'object', quadGeometry(q2), matte([1, 1, 1]));
    const assets = new Map([room, a, b].map((x) => [x.id, x]));
    const spec = sceneOf(
      'empty',
      [
        { assetId: 'q1', transform: IDENTITY },
        { assetId: 'q2', transform: IDENTITY },
      ],
      ambientOnly(3),
    );
    const view = await renderView(renderer, buildThreeScene(spec, assets, new ThreeAssetCache()), CAMERA, {
      depth: true,
      instances: true,
    });

    const projector = prepareProjection(CAMERA);
    const project = (p: Vec3): [number, number] => {
      const hit = projectPoint(projector, p[0], p[1], p[2], { u: 0, v: 0, depth: 0 });
      return [hit.u, hit.v];
    };
    const { width, height } = CAMERA;
    const expected1 = pixelsInside(q1.map(project), width, height);
    const expected2 = pixelsInside(q2.map(project), width, height);
    expect(edgeMargin(q1.map(project), width, height)).toBeGreaterThan(0.05);
    expect(edgeMargin(q2.map(project), width, height)).toBeGreaterThan(0.05);
    expect(expected1).toEqual([9 * width + 41, 9 * width + 42, 10 * width + 41, 10 * width + 42]);
    expect(expected2.length).toBeGreaterThan(30);

    const lit: number[] = [];
    for (let i = 0; i < width * height; i++)
      if (Math.max(...view.rgb.subarray(3 * i, 3 * i + 3)) > 40) lit.push(i);
    expect(lit).toEqual([...expected1, ...expected2].sort((x, y) => x - y));
    for (const i of expected1) expect(view.instances![i]).toBe(1);
    for (const i of expected2) expect(view.instances![i]).toBe(2);
    const hits = view.depth!.reduce((n, d) => n + (d > 0 ? 1 : 0), 0);
    expect(hits).toBe(lit.length);
    const nothing = view.instances!.reduce((n, id) => n + (id === NO_INSTANCE ? 1 : 0), 0);
    expect(nothing).toBe(width * height - lit.length);
    for (const i of expected1) expect(view.depth![i]).toBeCloseTo(3, 4);
  });

  it('returns z-depth equal to the closed-form depth of a floor plane and a rotated, translated box', async () => {
    const camera: Camera = { ...intrinsicsFromFov(64, 48, 60), pose: lookAtPose([0.6, 1.4, 3], [0, 0.4, 0]) };
    const H = 20;
    const floor = quadGeometry([
      [-H, 0, H],
      [H, 0, H],
      [H, 0, -H],
      [-H, 0, -H],
    ]);
    const room = assetOf('floor', 'room', floor, matte([0.6, 0.6, 0.6]));
    const min: Vec3 = [-0.4, 0, -0.3];
    const max: Vec3 = [0.4, 0.9, 0.3];
    const box = assetOf('box', 'object', boxGeometry(min, max), matte([0.8, 0.3, 0.2]));
    // Rotation by 0.5 rad about +Y, then a translation: local-to-world, row-major.
    const [c, s] = [Math.cos(0.5), Math.sin(0.5)];
    const [tx, ty, tz] = [0.2, 0, -0.5];
    const transform = [c, 0, s, tx, 0, 1, 0, ty, -s, 0, c, tz, 0, 0, 0, 1];
    const assets = new Map([room, box].map((x) => [x.id, x]));
    const spec = sceneOf('floor', [{ assetId: 'box', transform }], ambientOnly(1));
    const view = await renderView(renderer, buildThreeScene(spec, assets, new ThreeAssetCache()), camera, {
      depth: true,
      instances: true,
    });

    // Closed form per pixel centre: the ray meets the plane y = 0 at t = -o.y / d.y, and the box (in its
    // local frame, where it is axis-aligned) by the slab method. Pixels whose rays pass within 2 mm of
    // a box edge are left out: there a shrunk and a grown box disagree, and so may rasteriser and maths.
    const boxHit = (o: Vec3, d: Vec3, grow: number): number => {
      const p = [o[0] - tx, o[1] - ty, o[2] - tz];
      const lo = [c * p[0] - s * p[2], p[1], s * p[0] + c * p[2]];
      const ld = [c * d[0] - s * d[2], d[1], s * d[0] + c * d[2]];
      let t0 = 0;
      let t1 = Number.POSITIVE_INFINITY;
      for (let k = 0; k < 3; k++) {
        const a0 = (min[k] - grow - lo[k]) / ld[k];
        const a1 = (max[k] + grow - lo[k]) / ld[k];
        t0 = Math.max(t0, Math.min(a0, a1));
        t1 = Math.min(t1, Math.max(a0, a1));
      }
      return t0 <= t1 ? t0 : Number.POSITIVE_INFINITY;
    };
    let compared = 0;
    let boxPixels = 0;
    let maxRelative = 0;
    for (let y = 0; y < camera.height; y++) {
      for (let x = 0; x < camera.width; x++) {
        const i = y * camera.width + x;
        const { origin, direction, cosine } = pixelRay(camera, x + 0.5, y + 0.5);
        const tBox = boxHit(origin, direction, 0);
        if (boxHit(origin, direction, -2e-3) === Number.POSITIVE_INFINITY && tBox < Number.POSITIVE_INFINITY)
          continue;
        if (boxHit(origin, direction, 2e-3) < Number.POSITIVE_INFINITY && tBox === Number.POSITIVE_INFINITY)
          continue;
        const tPlane = direction[1] < 0 ? -origin[1] / direction[1] : Number.POSITIVE_INFINITY;
        // The floor is a square of half-size H: a hit within 5 cm of its border is left out too.
        const reach = Math.max(
          Math.abs(origin[0] + tPlane * direction[0]),
          Math.abs(origin[2] + tPlane * direction[2]),
        );
        if (Math.abs(reach - H) < 0.05) continue;
        const tFloor = reach < H ? tPlane : Number.POSITIVE_INFINITY;
        const t = Math.min(tBox, tFloor);
        const expectedDepth = t === Number.POSITIVE_INFINITY ? 0 : t * cosine;
        const expectedId = tBox < tFloor ? 1 : tFloor < Number.POSITIVE_INFINITY ? 0 : NO_INSTANCE;
        expect(view.instances![i]).toBe(expectedId);
        if (expectedDepth === 0) expect(view.depth![i]).toBe(0);
        else maxRelative = Math.max(maxRelative, Math.abs(view.depth![i] - expectedDepth) / expectedDepth);
        compared++;
        if (expectedId === 1) boxPixels++;
      }
    }
    expect(compared).toBeGreaterThan(0.95 * camera.width * camera.height);
    expect(boxPixels).toBeGreaterThan(100);
    expect(maxRelative).toBeLessThan(5e-6);
  });

  it('keeps sRGB colours: material colour, vertex colours and texture under a head-on light of intensity pi', async () => {
    // Lambert: outgoing radiance = albedo * E / pi, so a light of intensity pi facing the surface gives
    // back the albedo, and sRGB in should be sRGB out without tone mapping. MeshStandardMaterial's
    // specular lobe (F0 = 0.04) moves that by a few sRGB steps (measured: 60 -> 66, 200 -> 198); a lost
    // sRGB decode or encode would move 60 by 70 or more.
    const camera: Camera = { ...intrinsicsFromFov(48, 16, 30), pose: lookAtPose([0, 0, 5], [0, 0, 0]) };
    const quadAt = (x0: number) =>
      quadGeometry([
        [x0, -0.6, 0],
        [x0 + 1.2, -0.6, 0],
        [x0 + 1.2, 0.6, 0],
        [x0, 0.6, 0],
      ]);
    const plain = assetOf('plain', 'object', quadAt(-2), matte([0.5, 0.5, 0.5]));
    const tinted = quadAt(-0.6);
    tinted.setAttribute('color', new BufferAttribute(new Float32Array(12).fill(0.5), 3));
    const painted = assetOf('painted', 'object', tinted, matte([1, 1, 1], { vertexColors: true }));
    // 4x4 texture, rows top-down: the top two rows red-ish, the bottom two blue-ish.
    const data = new Uint8Array(64);
    for (let p = 0; p < 16; p++) data.set(p < 8 ? [200, 60, 60, 255] : [60, 60, 200, 255], 4 * p);
    const image: ImageRGBA = { width: 4, height: 4, data };
    const textured = assetOf('textured', 'object', quadAt(0.8), matte([1, 1, 1], { map: image }));
    const room = emptyRoom();
    const assets = new Map([room, plain, painted, textured].map((x) => [x.id, x]));
    const spec = sceneOf(
      'empty',
      ['plain', 'painted', 'textured'].map((assetId) => ({ assetId, transform: IDENTITY })),
      { ...ambientOnly(0), directional: [{ direction: [0, 0, -1], color: [1, 1, 1], intensity: Math.PI }] },
    );
    const view = await renderView(renderer, buildThreeScene(spec, assets, new ThreeAssetCache()), camera);
    const at = (u: number, v: number) =>
      Array.from(view.rgb.subarray(3 * (v * 48 + u), 3 * (v * 48 + u) + 3));
    const near = (got: number[], want: number[]) => {
      for (let k = 0; k < 3; k++) expect(Math.abs(got[k] - want[k])).toBeLessThanOrEqual(8);
    };
    near(at(15, 8), [128, 128, 128]);
    near(at(24, 8), [128, 128, 128]);
    // Texture rows: the image's top rows at the top of the quad (v = 1), not flipped.
    near(at(32, 6), [200, 60, 60]);
    near(at(32, 10), [60, 60, 200]);
    expect(at(3, 3)).toEqual([0, 0, 0]); // background
  });

  it('rejects views larger than the GPU can hold and bad clipping distances', async () => {
    const scene = buildThreeScene(
      sceneOf('empty', [], ambientOnly(1)),
      new Map([['empty', emptyRoom()]]),
      new ThreeAssetCache(),
    );
    const huge = renderer.device.limits.maxTextureDimension2D + 1;
    await expect(renderView(renderer, scene, { ...CAMERA, width: huge })).rejects.toThrow(
      /exceeds this GPU's texture limit/,
    );
    await expect(renderView(renderer, scene, CAMERA, { near: 0 })).rejects.toThrow(/need 0 < near < far/);
  });
});
