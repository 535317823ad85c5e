import { createRequire } from 'node:module';
import { BoxGeometry, BufferAttribute, BufferGeometry } from 'three';
import type { Asset, AssetMaterial, ImageRGBA } from '../src/assets/Asset.ts';
import type { Lighting, SceneSpec } from '../src/scene/SceneSpec.ts';

/** Tiny hand-made assets and scenes for the rendering tests (no files, no loaders). */

// bunny and teapot are CommonJS without type declarations.
const requireCjs = createRequire(import.meta.url);

/** A matte material of one sRGB colour. */
export function matte(color: [number, number, number], extra: Partial<AssetMaterial> = {}): AssetMaterial {
  return { name: 'matte', color, vertexColors: false, roughness: 1, ...extra };
}

/** An asset of one part. Bounds are the geometry's bounding box. */
export function assetOf(
  id: string,
  kind: Asset['kind'],
  geometry: BufferGeometry,
  material: AssetMaterial,
): Asset {
  geometry.computeBoundingBox();
  const box = geometry.boundingBox!;
  return {
    id,
    kind,
    category: kind === 'room' ? 'room' : 'test',
    parts: [{ geometry, material }],
    bounds: { min: box.min.toArray(), max: box.max.toArray() },
    source: 'test',
  };
}

/** A room with nothing in it: the renderer must cope with an empty part list. */
export function emptyRoom(id = 'empty'): Asset {
  return {
    id,
    kind: 'room',
    category: 'room',
    parts: [],
    bounds: { min: [0, 0, 0], max: [0, 0, 0] },
    source: 'test',
  };
}

/** A single quad (two triangles) through four world points given in order around its boundary, with uv. */
export function quadGeometry(corners: [number, number, number][]): BufferGeometry {
  const g = new BufferGeometry();
  g.setAttribute('position', new BufferAttribute(new Float32Array(corners.flat()), 3));
  // corners 0..3 get uv (0,0) (1,0) (1,1) (0,1)
  g.setAttribute('uv', new BufferAttribute(new Float32Array([0, 0, 1, 0, 1, 1, 0, 1]), 2));
  g.setIndex([0, 1, 2, 0, 2, 3]);
  return g;
}

/** An axis-aligned box geometry spanning [min, max] (metres). */
export function boxGeometry(min: [number, number, number], max: [number, number, number]): BufferGeometry {
  const g = new BoxGeometry(max[0] - min[0], max[1] - min[1], max[2] - min[2]);
  g.translate((min[0] + max[0]) / 2, (min[1] + max[1]) / 2, (min[2] + max[2]) / 2);
  return g;
}

/** Only an ambient (hemisphere) light of the given intensity, white from above and below. */
export function ambientOnly(intensity: number): Lighting {
  return { hemisphere: { sky: [1, 1, 1], ground: [1, 1, 1], intensity }, directional: [], point: [] };
}

/** A SceneSpec of a room and objects placed with the given row-major transforms. */
export function sceneOf(
  roomId: string,
  objects: { assetId: string; transform: number[] }[],
  lighting: Lighting,
): SceneSpec {
  return {
    roomId,
    objects: objects.map((o) => ({ ...o, category: 'test' })),
    lighting,
    floorY: 0,
  };
}

/** Identity 4x4, row-major. */
export const IDENTITY = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];

/** A 2x2 texture: top row red, bottom row blue (rows top-down, as ImageRGBA stores them). */
export function redOverBlue(): ImageRGBA {
  return {
    width: 2,
    height: 2,
    data: new Uint8Array([255, 0, 0, 255, 255, 0, 0, 255, 0, 0, 255, 255, 0, 0, 255, 255]),
  };
}

/**
 * A mesh that an npm package ships as `{ positions: number[][], cells: number[][] }` (`bunny`, 3,674
 * triangles; `teapot`, 992), as an indexed geometry with smooth normals.
 */
export function npmMesh(name: 'bunny' | 'teapot'): BufferGeometry {
  const { positions, cells } = requireCjs(name) as { positions: number[][]; cells: number[][] };
  const g = new BufferGeometry();
  g.setAttribute('position', new BufferAttribute(new Float32Array(positions.flat()), 3));
  g.setIndex(cells.flat());
  g.computeVertexNormals();
  return g;
}
