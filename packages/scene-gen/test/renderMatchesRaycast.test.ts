import {
  buildSceneBVH,
  type Camera,
  intrinsicsFromFov,
  lookAtPose,
  raycastDepthMap,
  type SceneMesh,
} from '@oxels/raycast';
import { NO_INSTANCE } from '@oxels/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Asset,
  buildThreeScene,
  createRenderer,
  type Renderer,
  renderView,
  type SceneSpec,
  ThreeAssetCache,
} from '../src/index.ts';
import { assetOf, boxGeometry, IDENTITY, matte, npmMesh } from './renderFixtures.ts';

// The design's alignment check: the rasteriser and the BVH ray caster must see the same surface at every
// pixel centre. Same SceneSpec, same assets, same cameras; GPU depth and instance ids against the caster's.

/** Row-major local-to-world: uniform scale s, rotation by `angle` about +Y, then translation t. */
function placement(s: number, angle: number, t: [number, number, number]): number[] {
  const [c, n] = [Math.cos(angle) * s, Math.sin(angle) * s];
  return [c, 0, n, t[0], 0, s, 0, t[1], -n, 0, c, t[2], 0, 0, 0, 1];
}

/** The ray caster's view of a SceneSpec: one SceneMesh per asset part, room first (instance 0). */
function sceneMeshes(spec: SceneSpec, assets: Map<string, Asset>): SceneMesh[] {
  const meshes = (asset: Asset, transform: number[], instance: number): SceneMesh[] =>
    asset.parts.map(({ geometry }) => ({
      positions: geometry.getAttribute('position').array as Float32Array,
      indices: geometry.index ? Uint32Array.from(geometry.index.array) : undefined,
      transform,
      instance,
    }));
  return [
    ...meshes(assets.get(spec.roomId)!, IDENTITY, 0),
    ...spec.objects.flatMap((o, i) => meshes(assets.get(o.assetId)!, o.transform, i + 1)),
  ];
}

let renderer: Renderer;
beforeAll(async () => {
  renderer = await createRenderer();
});
afterAll(async () => {
  await renderer?.dispose();
});

describe('renderView against raycastDepthMap', () => {
  it('agrees on instance ids and z-depth at the pixel centres of a furnished room, from two cameras', async () => {
    const room = assetOf('room', 'room', boxGeometry([-3, 0, -2.5], [3, 3, 2.5]), matte([0.8, 0.8, 0.75]));
    const bunny = assetOf('bunny', 'object', npmMesh('bunny'), matte([0.7, 0.6, 0.5]));
    const teapot = assetOf('teapot', 'object', npmMesh('teapot'), matte([0.3, 0.5, 0.8]));
    const crate = assetOf(
      'crate',
      'object',
      boxGeometry([-0.3, 0, -0.3], [0.3, 0.6, 0.3]),
      matte([0.6, 0.4, 0.2]),
    );
    const assets = new Map([room, bunny, teapot, crate].map((a) => [a.id, a]));
    const spec: SceneSpec = {
      roomId: 'room',
      objects: [
        { assetId: 'bunny', category: 'test', transform: placement(0.08, 0.7, [-0.8, 0, -0.6]) },
        { assetId: 'teapot', category: 'test', transform: placement(0.03, -0.4, [0.7, 0.6, -0.2]) },
        { assetId: 'crate', category: 'test', transform: placement(1, 0.3, [0.7, 0, -0.2]) },
        { assetId: 'crate', category: 'test', transform: placement(1.5, -0.9, [-0.2, 0, 1]) },
      ],
      lighting: {
        hemisphere: { sky: [1, 1, 1], ground: [0.5, 0.5, 0.5], intensity: 1 },
        directional: [{ direction: [0.3, -1, -0.2], color: [1, 0.95, 0.9], intensity: 2 }],
        point: [{ position: [0, 2.8, 0], color: [1, 1, 1], intensity: 5 }],
      },
      floorY: 0,
    };
    const bvh = buildSceneBVH(sceneMeshes(spec, assets));
    const scene = buildThreeScene(spec, assets, new ThreeAssetCache());
    const cameras: Camera[] = [
      { ...intrinsicsFromFov(96, 72, 70), pose: lookAtPose([1.8, 1.6, 2.2], [-0.2, 0.4, -0.5]) },
      { ...intrinsicsFromFov(80, 80, 55), cx: 37.2, pose: lookAtPose([-2.5, 2.2, -2], [0.4, 0.3, 0.2]) },
    ];
    for (const camera of cameras) {
      const gpu = await renderView(renderer, scene, camera, { depth: true, instances: true });
      const cast = raycastDepthMap(bvh, camera);
      const n = camera.width * camera.height;
      let sameInstance = 0;
      let depthClose = 0;
      const seen = new Set<number>();
      for (let i = 0; i < n; i++) {
        seen.add(cast.instance[i]);
        if (gpu.instances![i] !== cast.instance[i]) continue;
        sameInstance++;
        if (Math.abs(gpu.depth![i] - cast.depth[i]) <= 1e-4 * cast.depth[i]) depthClose++;
      }
      // Every object and the room is in view, and nothing is missed inside a closed room.
      expect([...seen].sort()).toEqual([0, 1, 2, 3, 4]);
      expect(seen.has(NO_INSTANCE)).toBe(false);
      // A pixel whose centre falls within float rounding of a silhouette edge may go either way (measured:
      // 1 of 6,912 and 0 of 6,400); elsewhere depths agree to float32 precision (measured <= 1.2e-6, 5e-5
      // at creases between faces).
      expect(sameInstance).toBeGreaterThanOrEqual(n - 3);
      expect(depthClose).toBeGreaterThanOrEqual(n - 3);
    }
  });
});
