import { NO_INSTANCE } from '@oxels/core';
import { Color, Matrix4, Mesh, Scene } from 'three/webgpu';
import type { Asset } from '../assets/Asset.ts';
import type { SceneSpec } from '../scene/SceneSpec.ts';
import { assert } from '../errors.ts';
import { buildLights } from './buildLights.ts';
import { srgbToLinear3 } from './colorUtils.ts';
import { INSTANCE_ID_KEY } from './depthInstanceMaterial.ts';
import type { ThreeAssetCache } from './ThreeAssetCache.ts';

/** Options of `buildThreeScene`. */
export interface BuildThreeSceneOptions {
  /** Colour where no geometry is hit, sRGB in [0, 1]. The depth layer reads 0 there whatever it is. */
  background: [number, number, number];
}

/** Defaults of `buildThreeScene`: black background. */
export const DEFAULT_BUILD_THREE_SCENE_OPTIONS: Readonly<BuildThreeSceneOptions> = {
  background: [0, 0, 0],
};

/** Largest object instance id: the uint16 layer keeps NO_INSTANCE (0xffff) for "nothing hit". */
const MAX_INSTANCE_ID = NO_INSTANCE - 1;

/**
 * The three.js scene of a SceneSpec, ready for `renderView`: the room (world frame as loaded, instance id
 * 0), each placed object i with its local-to-world transform (instance id i + 1, stored in the meshes'
 * `userData.instanceId`) and the spec's lights. Geometries, materials and textures come from `cache`, so
 * building many scenes of one room is cheap (no copies, no uploads); the Scene itself holds no GPU memory.
 * @param assets every asset the spec names, by id (room and objects)
 * Throws SceneGenError('BAD_ARGUMENT') naming a missing asset id or a malformed transform.
 */
export function buildThreeScene(
  spec: SceneSpec,
  assets: ReadonlyMap<string, Asset>,
  cache: ThreeAssetCache,
  options: Partial<BuildThreeSceneOptions> = {},
): Scene {
  const opts = { ...DEFAULT_BUILD_THREE_SCENE_OPTIONS, ...options };
  assert(
    spec.objects.length <= MAX_INSTANCE_ID,
    'BAD_ARGUMENT',
    () =>
      `buildThreeScene: too many objects for uint16 instance ids (got ${spec.objects.length}, max ${MAX_INSTANCE_ID})`,
  );
  const scene = new Scene();
  const [r, g, b] = srgbToLinear3(opts.background);
  scene.background = new Color(r, g, b);

  addAsset(scene, cache, lookUp(assets, spec.roomId, 'room'), null, 0);
  spec.objects.forEach((object, i) => {
    const t = object.transform;
    assert(
      Array.isArray(t) && t.length === 16 && t.every(Number.isFinite),
      'BAD_ARGUMENT',
      () =>
        `buildThreeScene: objects[${i}].transform must be 16 finite numbers, row-major (got ${JSON.stringify(t)})`,
    );
    // Matrix4.set takes its arguments row-major, like the spec stores them.
    const matrix = new Matrix4().set(...(t as Parameters<Matrix4['set']>));
    addAsset(scene, cache, lookUp(assets, object.assetId, `objects[${i}]`), matrix, i + 1);
  });
  for (const light of buildLights(spec.lighting)) scene.add(light);
  return scene;
}

function lookUp(assets: ReadonlyMap<string, Asset>, id: string, what: string): Asset {
  const asset = assets.get(id);
  assert(
    asset !== undefined,
    'BAD_ARGUMENT',
    () =>
      `buildThreeScene: ${what} asset "${id}" is not among the ${assets.size} assets given; load it first`,
  );
  return asset;
}

function addAsset(
  scene: Scene,
  cache: ThreeAssetCache,
  asset: Asset,
  matrix: Matrix4 | null,
  instanceId: number,
): void {
  for (const part of cache.parts(asset)) {
    const mesh = new Mesh(part.geometry, part.material);
    if (matrix !== null) {
      // The transform is fixed: skip three's position/quaternion/scale recomposition every frame.
      mesh.matrixAutoUpdate = false;
      mesh.matrix.copy(matrix);
    }
    mesh.userData[INSTANCE_ID_KEY] = instanceId;
    scene.add(mesh);
  }
}
