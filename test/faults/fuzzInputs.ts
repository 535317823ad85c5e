// The real files the reader fuzz test mutates, all made by the project and small: a gen-scenes
// dataset of 1 room x 2 pairs at 32x24 with depth and instance layers (its shard, entries, .npy and
// PNG files, manifest), the smallest embedded default object with a PNG texture (OBJ, MTL, PNG) and
// a JPEG texture, and a two-box room written by the embedded rooms' PLY encoder, binary and ASCII.
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { tarIndex } from '@oxels/dataset';
import { DEFAULT_ASSET_CACHE_DIR, ensureDefaultAssets, listShapeNetObjects } from '@oxels/scene-gen';
// Not public API: the embedded rooms' own encoder is the one way to a small PLY the project writes (an
// embedded room is 20k-90k triangles, 50x too slow to parse a thousand times).
import { encodeRoomPly } from '../../packages/scene-gen/src/procedural/encodeRoomPly.ts';
import { addBox, MeshBuilder } from '../../packages/scene-gen/src/procedural/MeshBuilder.ts';
import { tinyDataset } from './faultUtils.ts';

/** One file of the inputs: a name (for messages) and its bytes. */
export interface NamedBytes {
  name: string;
  data: Uint8Array;
}

/** An object asset on disk: `<dir>/models/model_normalized.{obj,mtl}` and `<dir>/images/<texture>`. */
export interface ObjectFiles {
  obj: string;
  mtl: string;
  texture: string;
}

/** The real files the fuzz targets start from. */
export interface FuzzInputs {
  /** The dataset directory (manifest.json, shard-000000.tar). */
  dataDir: string;
  shard: Uint8Array;
  /** The shard's files, in order. */
  entries: NamedBytes[];
  /** The first sample's .npy files. */
  npy: NamedBytes[];
  /** PNG and JPEG files: the first sample's RGB and instance PNGs, an object's PNG and JPEG textures. */
  images: NamedBytes[];
  /** The two-box room as binary and ASCII PLY. */
  plyBinary: Uint8Array;
  plyAscii: Uint8Array;
  /** The smallest embedded object with a PNG texture (in the asset cache: copy it before writing). */
  object: ObjectFiles;
  manifest: string;
}

/** The generator settings of the fuzzed dataset: everything a shard can hold, in few bytes. */
const DATASET = {
  rooms: 1,
  pairsPerRoom: 2,
  shardSize: 2,
  width: 32,
  height: 24,
  depth: true,
  instances: true,
};

/** Generates the dataset in `work/data` unless it is there, and reads every input. */
export async function prepareFuzzInputs(work: string): Promise<FuzzInputs> {
  const dataDir = join(work, 'data');
  if (!existsSync(join(dataDir, 'manifest.json'))) await tinyDataset(dataDir, DATASET);
  const shardPath = join(dataDir, 'shard-000000.tar');
  const shard = await readFile(shardPath);
  const entries = (await tarIndex(shardPath)).map((e) => ({
    name: e.name,
    data: shard.subarray(e.offset, e.offset + e.size),
  }));
  const first = entries.filter((e) => e.name.startsWith('r000-p000000.'));
  const { shapenetDir } = await ensureDefaultAssets(DEFAULT_ASSET_CACHE_DIR);
  const objects = await listShapeNetObjects(shapenetDir);
  const textureOf = (objPath: string, ext: string) => {
    const mtl = readFileSync(objPath.replace(/\.obj$/, '.mtl'), 'utf8');
    const name = new RegExp(`map_Kd \\.\\./images/(\\S+\\.${ext})`).exec(mtl)?.[1];
    return name && join(dirname(objPath), '..', 'images', name);
  };
  const bySize = (paths: (string | undefined)[]) =>
    (paths.filter(Boolean) as string[]).sort(
      (a, b) => statSync(a).size - statSync(b).size || (a < b ? -1 : 1),
    );
  const [objPath] = bySize(objects.filter((o) => textureOf(o.objPath, 'png')).map((o) => o.objPath));
  const [jpeg] = bySize(objects.map((o) => textureOf(o.objPath, 'jpg')));
  const png = textureOf(objPath, 'png')!;
  const file = (path: string): NamedBytes => ({ name: path, data: readFileSync(path) });
  return {
    dataDir,
    shard,
    entries,
    npy: first.filter((e) => e.name.endsWith('.npy')),
    images: [...first.filter((e) => /\.(a|a\.inst)\.png$/.test(e.name)), file(png), file(jpeg)],
    plyBinary: encodeRoomPly(twoBoxRoom(), 'binary', 'fuzz'),
    plyAscii: encodeRoomPly(twoBoxRoom(), 'ascii', 'fuzz'),
    object: { obj: objPath, mtl: objPath.replace(/\.obj$/, '.mtl'), texture: png },
    manifest: readFileSync(join(dataDir, 'manifest.json'), 'utf8'),
  };
}

/** A 4 x 3 m floor slab and a table-sized box on it, labelled 1 and 2, coloured: 48 vertices. */
function twoBoxRoom(): MeshBuilder {
  const mesh = new MeshBuilder();
  addBox(mesh, [0, -0.1, 0], [4, 0, 3], { label: 1, color: (u, v) => [u, v, 0.5] });
  addBox(mesh, [1, 0, 1], [2, 0.8, 1.6], { label: 2, color: () => [0.6, 0.4, 0.2] });
  return mesh;
}

/** Copies an object's OBJ, MTL and texture to `dir` in the same layout; returns the copies. */
export function copyObject(object: ObjectFiles, dir: string): ObjectFiles {
  mkdirSync(join(dir, 'models'), { recursive: true });
  mkdirSync(join(dir, 'images'), { recursive: true });
  const copy = {
    obj: join(dir, 'models', basename(object.obj)),
    mtl: join(dir, 'models', basename(object.mtl)),
    texture: join(dir, 'images', basename(object.texture)),
  };
  for (const key of ['obj', 'mtl', 'texture'] as const) copyFileSync(object[key], copy[key]);
  return copy;
}
