import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { MTLLoader } from 'three/examples/jsm/loaders/MTLLoader.js';

/** The fields of one MTL material that the loaders use. */
export interface MtlMaterial {
  name: string;
  /** Diffuse colour Kd, sRGB [0, 1]. */
  kd?: [number, number, number];
  /** Specular colour Ks. */
  ks?: [number, number, number];
  /** Specular exponent Ns, 0..1000. */
  ns?: number;
  /** The raw `map_Kd` value: options, then a file name relative to the MTL file. */
  mapKd?: string;
}

/**
 * Parses an MTL library with three's MTLLoader, reading only `materialsInfo` (its `create()` and
 * `preload()` build DOM textures and fail in Node).
 *
 * @returns materials by name, in file order
 */
export function parseMtl(text: string): Map<string, MtlMaterial> {
  const info = new MTLLoader().parse(text, '').materialsInfo as Record<string, Record<string, unknown>>;
  const out = new Map<string, MtlMaterial>();
  for (const [name, m] of Object.entries(info)) {
    const rgb = (v: unknown): [number, number, number] | undefined =>
      Array.isArray(v) && v.length >= 3 && v.slice(0, 3).every(Number.isFinite)
        ? [v[0], v[1], v[2]]
        : undefined;
    const ns = Number(m.ns);
    out.set(name, {
      name,
      kd: rgb(m.kd),
      ks: rgb(m.ks),
      ns: Number.isFinite(ns) ? ns : undefined,
      mapKd: typeof m.map_kd === 'string' && m.map_kd.trim() !== '' ? m.map_kd : undefined,
    });
  }
  return out;
}

/** map_* options and how many arguments each takes at most (the numeric ones take 1 to 3). */
const MAP_OPTIONS: Record<string, number> = {
  '-blendu': 1,
  '-blendv': 1,
  '-bm': 1,
  '-boost': 1,
  '-cc': 1,
  '-clamp': 1,
  '-imfchan': 1,
  '-mm': 2,
  '-o': 3,
  '-s': 3,
  '-t': 3,
  '-texres': 1,
  '-type': 1,
};

/**
 * The file name of an MTL `map_Kd` value: drops options such as `-s 1 1 1` or `-clamp on`,
 * turns Windows separators into '/', and keeps spaces inside the name.
 */
export function textureFileName(mapKd: string): string {
  const tokens = mapKd.trim().split(/\s+/);
  let i = 0;
  while (i < tokens.length - 1 && tokens[i] in MAP_OPTIONS) {
    const max = MAP_OPTIONS[tokens[i]];
    i++;
    for (let k = 0; k < max && i < tokens.length - 1; k++) {
      const isArg = max === 3 ? Number.isFinite(Number(tokens[i])) : true;
      if (!isArg) break;
      i++;
    }
  }
  return tokens.slice(i).join(' ').replace(/\\/g, '/');
}

/**
 * Roughness (three.js convention: 1 = matte, 0 = mirror) from MTL Ks/Ns: matte when there is no
 * specular colour, else the Blinn-Phong exponent mapped through alpha = sqrt(2 / (Ns + 2)),
 * roughness = sqrt(alpha) (the usual Phong-to-GGX correspondence).
 */
export function roughnessFromMtl(ks: [number, number, number] | undefined, ns: number | undefined): number {
  if (!ks || Math.max(...ks) <= 0.01 || ns === undefined) return 1;
  return Math.min(1, Math.sqrt(Math.sqrt(2 / (Math.max(0, ns) + 2))));
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/**
 * Finds the texture file an MTL names, the way ShapeNet and hand-written MTL files need it: the
 * path relative to the MTL file first, then the bare file name (case-insensitive) in the MTL's
 * folder and in the sibling `images/` and `textures/` folders (ShapeNetCore v2 keeps textures in
 * `<model>/images/` and its MTL files name them in several ways).
 *
 * @param name a name returned by textureFileName
 * @param mtlPath the MTL file
 * @returns the file's path, or undefined when none is found
 */
export async function resolveTexturePath(name: string, mtlPath: string): Promise<string | undefined> {
  const mtlDir = dirname(mtlPath);
  const direct = isAbsolute(name) ? name : resolve(mtlDir, name);
  if (await isFile(direct)) return direct;
  const wanted = basename(name).toLowerCase();
  const folders = [mtlDir, join(mtlDir, '..', 'images'), join(mtlDir, 'images'), join(mtlDir, 'textures')];
  for (const folder of folders) {
    let entries: string[];
    try {
      entries = await readdir(folder);
    } catch {
      continue;
    }
    const hit = entries.find((e) => e.toLowerCase() === wanted);
    if (hit && (await isFile(join(folder, hit)))) return join(folder, hit);
  }
  return undefined;
}
