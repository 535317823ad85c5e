import { basename, dirname, resolve } from 'node:path';
import { type BufferAttribute, BufferGeometry, Float32BufferAttribute, type Mesh } from 'three';
import { OBJLoader } from 'three/examples/jsm/loaders/OBJLoader.js';
import { AssetLoadError } from '../errors.ts';
import type { Asset, AssetMaterial, AssetPart, ImageRGBA } from './Asset.ts';
import {
  computeBounds,
  decodeText,
  firstNonFiniteVertex,
  readAssetFile,
  type WarningHandler,
  withColorManagementDisabled,
} from './assetUtils.ts';
import { decodeImage } from './decodeImage.ts';
import {
  type MtlMaterial,
  parseMtl,
  resolveTexturePath,
  roughnessFromMtl,
  textureFileName,
} from './mtlMaterials.ts';

/** Options of loadObjAsset. */
export interface ObjLoadOptions {
  /** Asset id; default: the file name without `.obj`. */
  id?: string;
  /** Category name (ShapeNet taxonomy name); default "unknown". */
  category?: string;
  /** Receives non-fatal problems: missing MTL, missing or undecodable texture, unknown material. */
  onWarning?: WarningHandler;
}

/** Kd of a face group whose material is missing (MTL's own default is white; grey shades better). */
const FALLBACK_COLOR: [number, number, number] = [0.8, 0.8, 0.8];

/** Triangles of one material, gathered from every OBJ object/group that uses it. */
interface PartBuffers {
  position: number[];
  normal: number[];
  uv: number[];
  color: number[];
  hasUv: boolean;
  hasColor: boolean;
}

/**
 * Loads an OBJ file with its MTL libraries and textures (ShapeNetCore v2 `model_normalized.obj`,
 * or any OBJ) as an object asset: one part per material, non-indexed triangles with `position`,
 * `normal` and, where the file has them, `uv` and `color`. The frame is the file's (ShapeNet:
 * +Y up, front -Z, unit diagonal, not centred). Lines and points are ignored.
 *
 * Missing MTL files, unknown materials, and textures that are missing or cannot be decoded are
 * normal in ShapeNet: they are reported through `onWarning` and the part falls back to its Kd colour.
 *
 * @param objPath the OBJ file
 * @throws AssetLoadError when the OBJ is missing, has no triangles, or has non-finite coordinates
 *   (NaN values, out-of-range face indices)
 */
export async function loadObjAsset(objPath: string, options: ObjLoadOptions = {}): Promise<Asset> {
  const { onWarning } = options;
  const id = options.id ?? basename(objPath).replace(/\.obj$/i, '');
  const text = decodeText(await readAssetFile(objPath, 'OBJ model'));
  let group: ReturnType<OBJLoader['parse']>;
  try {
    group = withColorManagementDisabled(() => new OBJLoader().parse(text));
  } catch (error) {
    throw new AssetLoadError(`loadObjAsset: malformed OBJ ${objPath} (${String(error)})`, objPath, error);
  }

  const buffers = new Map<string, PartBuffers>();
  for (const child of group.children) {
    if (!(child as Mesh).isMesh) continue;
    const mesh = child as Mesh;
    const materialNames = ([] as { name: string }[])
      .concat(mesh.material as { name: string }[])
      .map((m) => m.name);
    const geometry = mesh.geometry;
    const ranges = geometry.groups.length
      ? geometry.groups
      : [{ start: 0, count: geometry.getAttribute('position').count, materialIndex: 0 }];
    for (const range of ranges) {
      const name = materialNames[range.materialIndex ?? 0] ?? materialNames[0] ?? '';
      let target = buffers.get(name);
      if (!target) {
        target = { position: [], normal: [], uv: [], color: [], hasUv: false, hasColor: false };
        buffers.set(name, target);
      }
      appendRange(target, geometry, range.start, range.count);
    }
  }
  const totalTriangles = [...buffers.values()].reduce((n, b) => n + b.position.length / 9, 0);
  if (totalTriangles === 0) {
    throw new AssetLoadError(
      `loadObjAsset: no triangles in ${objPath} (empty, or only lines and points)`,
      objPath,
    );
  }

  // OBJLoader sets `materialLibraries` on the group it returns; three's types leave it out.
  const libraries = (group as unknown as { materialLibraries: string[] }).materialLibraries;
  const mtl = await readMaterialLibraries(libraries, objPath, onWarning);
  const textures = new Map<string, ImageRGBA | undefined>();
  const parts: AssetPart[] = [];
  for (const [name, b] of buffers) {
    if (b.position.length === 0) continue;
    const geometry = toGeometry(b, objPath);
    const info = mtl.materials.get(name);
    if (!info && name !== '') {
      onWarning?.(
        `loadObjAsset: material "${name}" not found in the MTL libraries of ${objPath}; using grey`,
      );
    }
    const material: AssetMaterial = {
      name: name || 'default',
      color: info?.kd ?? FALLBACK_COLOR,
      vertexColors: b.hasColor,
      roughness: roughnessFromMtl(info?.ks, info?.ns),
    };
    if (info?.mapKd && b.hasUv) {
      const map = await loadTexture(info, mtl.pathOf.get(name)!, textures, onWarning);
      if (map) material.map = map;
    }
    parts.push({ geometry, material });
  }
  return {
    id,
    kind: 'object',
    category: options.category ?? 'unknown',
    parts,
    bounds: computeBounds(parts),
    source: objPath,
  };
}

/** Copies triangles [start, start+count) of a non-indexed OBJLoader geometry into `target`. */
function appendRange(target: PartBuffers, geometry: BufferGeometry, start: number, count: number): void {
  const position = geometry.getAttribute('position') as BufferAttribute;
  const normal = geometry.getAttribute('normal') as BufferAttribute | undefined;
  const uv = geometry.getAttribute('uv') as BufferAttribute | undefined;
  const color = geometry.getAttribute('color') as BufferAttribute | undefined;
  const end = Math.min(start + count, position.count);
  // A range without one of the attributes is filled with neutral values (flat normals are
  // recomputed later when any is missing: zero marks them).
  if (uv && !target.hasUv) for (let k = 0; k < (target.position.length / 3) * 2; k++) target.uv.push(0);
  if (color && !target.hasColor) for (let k = 0; k < target.position.length; k++) target.color.push(1);
  target.hasUv ||= uv !== undefined;
  target.hasColor ||= color !== undefined;
  for (let i = start; i < end; i++) {
    target.position.push(position.getX(i), position.getY(i), position.getZ(i));
    if (normal) target.normal.push(normal.getX(i), normal.getY(i), normal.getZ(i));
    else target.normal.push(0, 0, 0);
    if (target.hasUv) target.uv.push(uv ? uv.getX(i) : 0, uv ? uv.getY(i) : 0);
    if (target.hasColor)
      target.color.push(color ? color.getX(i) : 1, color ? color.getY(i) : 1, color ? color.getZ(i) : 1);
  }
}

/** Builds a part geometry; triangles whose normals are missing or not finite get flat normals. */
function toGeometry(b: PartBuffers, objPath: string): BufferGeometry {
  const geometry = new BufferGeometry();
  const position = new Float32BufferAttribute(b.position, 3);
  const bad = firstNonFiniteVertex(position);
  if (bad >= 0) {
    throw new AssetLoadError(
      `loadObjAsset: non-finite coordinate at triangle corner ${bad} of ${objPath} (NaN in the file, or a face index out of range)`,
      objPath,
    );
  }
  geometry.setAttribute('position', position);
  const normal = Float32Array.from(b.normal);
  fixNormals(normal, position.array as Float32Array);
  geometry.setAttribute('normal', new Float32BufferAttribute(normal, 3));
  if (b.hasUv) geometry.setAttribute('uv', new Float32BufferAttribute(b.uv, 2));
  if (b.hasColor) geometry.setAttribute('color', new Float32BufferAttribute(b.color, 3));
  return geometry;
}

/** Replaces zero-length or non-finite normals by the face normal of their triangle. */
function fixNormals(normal: Float32Array, position: Float32Array): void {
  for (let t = 0; t < position.length; t += 9) {
    for (let k = 0; k < 9; k += 3) {
      const x = normal[t + k];
      const y = normal[t + k + 1];
      const z = normal[t + k + 2];
      const len = Math.hypot(x, y, z);
      if (Number.isFinite(len) && len > 1e-12) continue;
      const ux = position[t + 3] - position[t];
      const uy = position[t + 4] - position[t + 1];
      const uz = position[t + 5] - position[t + 2];
      const vx = position[t + 6] - position[t];
      const vy = position[t + 7] - position[t + 1];
      const vz = position[t + 8] - position[t + 2];
      const nx = uy * vz - uz * vy;
      const ny = uz * vx - ux * vz;
      const nz = ux * vy - uy * vx;
      const n = Math.hypot(nx, ny, nz) || 1;
      normal[t + k] = nx / n;
      normal[t + k + 1] = ny / n;
      normal[t + k + 2] = nz / n;
    }
  }
}

/** Reads every `mtllib` of an OBJ; a missing or unreadable library only warns. */
async function readMaterialLibraries(
  libraries: string[],
  objPath: string,
  onWarning: WarningHandler | undefined,
): Promise<{ materials: Map<string, MtlMaterial>; pathOf: Map<string, string> }> {
  const materials = new Map<string, MtlMaterial>();
  const pathOf = new Map<string, string>();
  for (const lib of libraries) {
    const mtlPath = resolve(dirname(objPath), lib.replace(/\\/g, '/'));
    try {
      for (const [name, m] of parseMtl(decodeText(await readAssetFile(mtlPath, 'material library')))) {
        materials.set(name, m);
        pathOf.set(name, mtlPath);
      }
    } catch (error) {
      if (!(error instanceof AssetLoadError)) throw error;
      onWarning?.(`loadObjAsset: ${error.message}; materials of ${objPath} fall back to grey`);
    }
  }
  return { materials, pathOf };
}

/** Finds and decodes a material's map_Kd once per file; a missing or corrupt texture only warns. */
async function loadTexture(
  info: MtlMaterial,
  mtlPath: string,
  cache: Map<string, ImageRGBA | undefined>,
  onWarning: WarningHandler | undefined,
): Promise<ImageRGBA | undefined> {
  const name = textureFileName(info.mapKd!);
  const path = await resolveTexturePath(name, mtlPath);
  if (!path) {
    onWarning?.(
      `loadObjAsset: texture "${name}" of material "${info.name}" not found near ${mtlPath}; using Kd colour`,
    );
    return undefined;
  }
  if (!cache.has(path)) {
    try {
      cache.set(path, decodeImage(await readAssetFile(path, 'texture'), path));
    } catch (error) {
      if (!(error instanceof AssetLoadError)) throw error;
      onWarning?.(`loadObjAsset: ${error.message}; material "${info.name}" uses its Kd colour`);
      cache.set(path, undefined);
    }
  }
  return cache.get(path);
}
