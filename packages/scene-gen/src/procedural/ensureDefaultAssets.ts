/**
 * The embedded default assets: what gen-scenes uses when no SceneNN or ShapeNet directory is given.
 *
 * They are generated procedurally and deterministically (seeded; the same seed gives the same
 * bytes on every machine) and written in the datasets' own on-disk formats, so that every run goes
 * through the real loaders (loadRoomPly, loadObjAsset) exactly as with the datasets:
 *
 * - `scenenn/<id>/<id>.ply` + `<id>.xml`: 76 rooms by default, ids `p001`... Rectangular and
 *   L-shaped footprints of 3-8 m a side, 2.4-2.9 m high, floor at y = 0, not centred in x/z.
 *   Floors, walls and ceilings are grids of 5-10 cm cells whose vertex colours carry the
 *   "textures" SceneNN can hold: wood planks, tiles, carpet, checker, brick, stripes, diamonds,
 *   wainscot, ceiling panels. Doors (recessed leaf with handle and frame), open doorways into a
 *   short corridor stub, windows (recess, glass with mullions, sill), baseboards, and fixtures:
 *   shelves with books, radiators, columns, ceiling lights. Each vertex has an instance `label`,
 *   described in the XML (text, NYU class, box). Mostly binary PLY, every tenth ASCII; 20k-90k
 *   triangles each.
 * - `shapenet/<synset>/<model>/models/model_normalized.{obj,mtl}` (+ `images/` textures) and
 *   `shapenet/taxonomy.json`: 52 objects in 12 categories (chair, table, lamp, mug, bottle, sofa,
 *   bookshelf, vase, bowl, cabinet: 5 variants each; plus the Stanford bunny and the Utah teapot
 *   from the npm packages `bunny` and `teapot`). ShapeNetCore v2 frame: +Y up, front -Z, bounding
 *   box diagonal 1, vertex mean at the origin. One OBJ group per material; wood, label and decor
 *   textures as PNG, fabric textures as JPEG, referenced as `map_Kd ../images/textureN.*`.
 *
 * The cache lives in `assets/cache/embedded/` at the repository root by default (gitignored). It
 * is generated into a temporary folder and renamed into place, so an interrupted run never leaves
 * a half-written cache, and it is regenerated only when it is missing or was made by another
 * generator version (EMBEDDED_ASSETS_VERSION) or with other options. Generating all of it takes a
 * few seconds.
 */
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_ASSET_CACHE_DIR } from '../constants.ts';
import { SceneGenError } from '../errors.ts';
import {
  DEFAULT_EMBEDDED_ASSETS_OPTIONS,
  EMBEDDED_ASSETS_VERSION,
  type EmbeddedAssetsOptions,
  generateEmbeddedAssets,
} from './generateEmbeddedAssets.ts';

/** Where the embedded default datasets are on disk. */
export interface DefaultAssetDirs {
  /** A SceneNN-layout directory: `<id>/<id>.ply` and `<id>.xml`. */
  scenennDir: string;
  /** A ShapeNetCore-v2-layout directory with `taxonomy.json`. */
  shapenetDir: string;
  /** True when this call generated the assets, false when a valid cache was found. */
  generated: boolean;
}

/** Contents of `stamp.json`, written last: a cache is valid only when it matches exactly. */
interface CacheStamp {
  generator: 'oxels-embedded-assets';
  version: number;
  seed: number;
  roomCount: number;
}

async function readStamp(dir: string): Promise<CacheStamp | undefined> {
  try {
    return JSON.parse(await readFile(join(dir, 'stamp.json'), 'utf8')) as CacheStamp;
  } catch {
    return undefined;
  }
}

function sameStamp(a: CacheStamp | undefined, b: CacheStamp): boolean {
  return (
    a !== undefined &&
    a.generator === b.generator &&
    a.version === b.version &&
    a.seed === b.seed &&
    a.roomCount === b.roomCount
  );
}

/**
 * Makes sure the embedded default assets exist in `cacheDir` and returns their directories,
 * generating them (atomically: temporary folder, then rename) when missing or stale.
 * Safe to call from several processes at once: the first rename wins, the others discard
 * their copy.
 *
 * @param cacheDir default: `assets/cache/` at the repository root
 * @throws SceneGenError ASSET_CACHE when the cache cannot be written
 */
export async function ensureDefaultAssets(
  cacheDir: string = DEFAULT_ASSET_CACHE_DIR,
  options: Partial<EmbeddedAssetsOptions> = {},
): Promise<DefaultAssetDirs> {
  const { seed, roomCount, onProgress } = { ...DEFAULT_EMBEDDED_ASSETS_OPTIONS, ...options };
  const target = join(cacheDir, 'embedded');
  const dirs = (generated: boolean): DefaultAssetDirs => ({
    scenennDir: join(target, 'scenenn'),
    shapenetDir: join(target, 'shapenet'),
    generated,
  });
  const stamp: CacheStamp = {
    generator: 'oxels-embedded-assets',
    version: EMBEDDED_ASSETS_VERSION,
    seed,
    roomCount,
  };
  if (sameStamp(await readStamp(target), stamp)) return dirs(false);

  let tmp: string;
  try {
    await mkdir(cacheDir, { recursive: true });
    tmp = await mkdtemp(join(cacheDir, '.embedded-tmp-'));
  } catch (error) {
    throw new SceneGenError(
      'ASSET_CACHE',
      `ensureDefaultAssets: cannot create the asset cache in ${cacheDir} (${String(error)})`,
      cacheDir,
    );
  }
  try {
    await generateEmbeddedAssets(tmp, { seed, roomCount, onProgress });
    await writeFile(join(tmp, 'stamp.json'), `${JSON.stringify(stamp, null, 2)}\n`);
    // Another process may have finished meanwhile: keep its cache rather than swap it under its feet.
    if (sameStamp(await readStamp(target), stamp)) {
      await rm(tmp, { recursive: true, force: true });
      return dirs(false);
    }
    // A stale cache is moved aside first: rename() cannot replace a non-empty directory.
    const stale = `${tmp}-stale`;
    const moved = await rename(target, stale).then(
      () => true,
      () => false,
    );
    if (moved) await rm(stale, { recursive: true, force: true });
    try {
      await rename(tmp, target);
    } catch (error) {
      // Another process put a cache in place meanwhile: keep it if it is the one we want.
      if (!sameStamp(await readStamp(target), stamp)) throw error;
      await rm(tmp, { recursive: true, force: true });
    }
  } catch (error) {
    await rm(tmp, { recursive: true, force: true });
    throw new SceneGenError(
      'ASSET_CACHE',
      `ensureDefaultAssets: cannot write the asset cache ${target} (${String(error)})`,
      target,
    );
  }
  return dirs(true);
}
