import { DirectionalLight, HemisphereLight, type Mesh, PointLight, Vector3 } from 'three/webgpu';
import { describe, expect, it } from 'vitest';
import { assetOf, boxGeometry, IDENTITY, matte, sceneOf } from '../../test/renderFixtures.ts';
import type { Lighting } from '../scene/SceneSpec.ts';
import { buildThreeScene } from './buildThreeScene.ts';
import { srgbToLinear } from './colorUtils.ts';
import { ThreeAssetCache } from './ThreeAssetCache.ts';

const LIGHTING: Lighting = {
  hemisphere: { sky: [1, 1, 1], ground: [0.5, 0.5, 0.5], intensity: 0.7 },
  directional: [{ direction: [0, -2, 0], color: [1, 0.5, 1], intensity: 2 }],
  point: [{ position: [1, 2, 3], color: [1, 1, 1], intensity: 5 }],
};

function fixture() {
  const room = assetOf('room', 'room', boxGeometry([-2, 0, -2], [2, 3, 2]), matte([0.8, 0.8, 0.8]));
  const box = assetOf('box', 'object', boxGeometry([0, 0, 0], [1, 1, 1]), matte([1, 0, 0]));
  return { room, box, assets: new Map([room, box].map((a) => [a.id, a])) };
}

describe('buildThreeScene', () => {
  it('places the room (instance 0) and each object i (instance i + 1) with its row-major transform', () => {
    const { assets } = fixture();
    // Scale 2, then translate by (1, 0, -1); the same asset placed twice.
    const transform = [2, 0, 0, 1, 0, 2, 0, 0, 0, 0, 2, -1, 0, 0, 0, 1];
    const spec = sceneOf(
      'room',
      [
        { assetId: 'box', transform: IDENTITY },
        { assetId: 'box', transform },
      ],
      LIGHTING,
    );
    const scene = buildThreeScene(spec, assets, new ThreeAssetCache(), { background: [0.5, 0.5, 0.5] });
    scene.updateMatrixWorld(true);
    const meshes = scene.children.filter((c) => (c as Mesh).isMesh) as Mesh[];
    expect(meshes.map((m) => m.userData.instanceId)).toEqual([0, 1, 2]);
    // The local corner (1, 1, 1) of the second box lands at 2 * (1, 1, 1) + (1, 0, -1).
    expect(new Vector3(1, 1, 1).applyMatrix4(meshes[2].matrixWorld).toArray()).toEqual([3, 2, 1]);
    expect(meshes[1].geometry).toBe(meshes[2].geometry);
    expect((scene.background as { r: number }).r).toBeCloseTo(srgbToLinear(0.5), 6);
  });

  it('turns the lighting into a hemisphere, directional and point lights with linear colours', () => {
    const { assets } = fixture();
    const scene = buildThreeScene(sceneOf('room', [], LIGHTING), assets, new ThreeAssetCache());
    const hemi = scene.children.find((c) => c instanceof HemisphereLight) as HemisphereLight;
    const sun = scene.children.find((c) => c instanceof DirectionalLight) as DirectionalLight;
    const bulb = scene.children.find((c) => c instanceof PointLight) as PointLight;
    expect(hemi.intensity).toBe(0.7);
    expect(hemi.groundColor.r).toBeCloseTo(srgbToLinear(0.5), 6);
    // Light travels along `direction`: three aims from position to target (the origin).
    expect(sun.position.toArray()).toEqual([-0, 1, -0]);
    expect(sun.target.position.toArray()).toEqual([0, 0, 0]);
    expect(sun.color.g).toBeCloseTo(srgbToLinear(0.5), 6);
    expect(bulb.position.toArray()).toEqual([1, 2, 3]);
    expect(bulb.decay).toBe(2);
    expect(bulb.distance).toBe(0);
  });

  it('reuses the cached three objects across scenes of one room', () => {
    const { assets } = fixture();
    const cache = new ThreeAssetCache();
    const spec = sceneOf('room', [{ assetId: 'box', transform: IDENTITY }], LIGHTING);
    const a = buildThreeScene(spec, assets, cache).children.filter((c) => (c as Mesh).isMesh) as Mesh[];
    const b = buildThreeScene(spec, assets, cache).children.filter((c) => (c as Mesh).isMesh) as Mesh[];
    expect(b.map((m) => m.material)).toEqual(a.map((m) => m.material));
    expect(b[1].material).toBe(a[1].material);
    expect(cache.size).toBe(2);
  });

  it('names a missing asset and a malformed transform', () => {
    const { assets } = fixture();
    const cache = new ThreeAssetCache();
    expect(() => buildThreeScene(sceneOf('nope', [], LIGHTING), assets, cache)).toThrow(
      /buildThreeScene: room asset "nope" is not among the 2 assets given/,
    );
    expect(() =>
      buildThreeScene(sceneOf('room', [{ assetId: 'box', transform: [1, 2, 3] }], LIGHTING), assets, cache),
    ).toThrow(/objects\[0\]\.transform must be 16 finite numbers/);
    const dark = {
      ...LIGHTING,
      directional: [
        {
          direction: [0, 0, 0] as [number, number, number],
          color: [1, 1, 1] as [number, number, number],
          intensity: 1,
        },
      ],
    };
    expect(() => buildThreeScene(sceneOf('room', [], dark), assets, cache)).toThrow(
      /directional\[0\]\.direction must be a finite non-zero vector/,
    );
  });
});
