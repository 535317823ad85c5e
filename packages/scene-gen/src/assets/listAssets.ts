import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { SceneGenError } from '../errors.ts';
import type { WarningHandler } from './assetUtils.ts';

/** A SceneNN room on disk, before loading. */
export interface RoomRef {
  kind: 'room';
  /** Room id, the folder name ("005"). */
  id: string;
  category: 'room';
  plyPath: string;
  /** `<id>.xml` beside the PLY (it may be missing: loading then warns). */
  xmlPath: string;
}

/** A ShapeNetCore v2 model on disk, before loading. */
export interface ObjectRef {
  kind: 'object';
  /** "<synsetId>/<modelId>". */
  id: string;
  /** Taxonomy name of the synset ("chair"), or the synset id when taxonomy.json does not name it. */
  category: string;
  synsetId: string;
  modelId: string;
  objPath: string;
}

/** Something listAssets found and loadAsset can load. */
export type AssetRef = RoomRef | ObjectRef;

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/** Sorted names of the sub-folders of `dir` (hidden ones left out). */
async function subfolders(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries
    .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort();
}

/**
 * Lists the rooms of a SceneNN directory: every `DIR/<id>/<id>.ply`, sorted by id. Folders
 * without that PLY are ignored (SceneNN also ships `oni/` and trajectory folders).
 *
 * @param dir the SceneNN root
 * @returns possibly empty
 * @throws SceneGenError MISSING_DIR when `dir` is not a directory
 */
export async function listSceneNNRooms(dir: string): Promise<RoomRef[]> {
  if (!(await isDirectory(dir))) {
    throw new SceneGenError(
      'MISSING_DIR',
      `listSceneNNRooms: SceneNN directory not found: ${dir} (expected DIR/<id>/<id>.ply; leave the directory out to use the embedded default rooms)`,
      dir,
    );
  }
  const rooms: RoomRef[] = [];
  for (const id of await subfolders(dir)) {
    const plyPath = join(dir, id, `${id}.ply`);
    if (await isFile(plyPath))
      rooms.push({ kind: 'room', id, category: 'room', plyPath, xmlPath: join(dir, id, `${id}.xml`) });
  }
  return rooms;
}

/**
 * Reads ShapeNet's `taxonomy.json` (an array of `{ synsetId, name, ... }`; `name` lists synonyms
 * separated by commas, the first is the category) into synsetId -> category name.
 *
 * @returns an empty map, with a warning, when the file is missing or malformed
 */
export async function readShapeNetTaxonomy(
  dir: string,
  onWarning?: WarningHandler,
): Promise<Map<string, string>> {
  const path = join(dir, 'taxonomy.json');
  const names = new Map<string, string>();
  let entries: unknown;
  try {
    entries = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    onWarning?.(`readShapeNetTaxonomy: cannot read ${path} (${String(error)}); categories are synset ids`);
    return names;
  }
  if (!Array.isArray(entries)) {
    onWarning?.(`readShapeNetTaxonomy: ${path} is not an array of synsets; categories are synset ids`);
    return names;
  }
  for (const e of entries as { synsetId?: unknown; name?: unknown }[]) {
    if (typeof e?.synsetId === 'string' && typeof e.name === 'string') {
      names.set(e.synsetId, e.name.split(',')[0].trim());
    }
  }
  return names;
}

/**
 * Lists the models of a ShapeNetCore v2 directory: every
 * `DIR/<synset>/<model>/models/model_normalized.obj`, sorted by synset then model, with the
 * category named by `DIR/taxonomy.json`.
 *
 * @param dir the ShapeNetCore v2 root
 * @returns possibly empty
 * @throws SceneGenError MISSING_DIR when `dir` is not a directory
 */
export async function listShapeNetObjects(
  dir: string,
  options: { onWarning?: WarningHandler } = {},
): Promise<ObjectRef[]> {
  if (!(await isDirectory(dir))) {
    throw new SceneGenError(
      'MISSING_DIR',
      `listShapeNetObjects: ShapeNet directory not found: ${dir} (expected DIR/<synset>/<model>/models/model_normalized.obj; leave the directory out to use the embedded default objects)`,
      dir,
    );
  }
  const taxonomy = await readShapeNetTaxonomy(dir, options.onWarning);
  const objects: ObjectRef[] = [];
  for (const synsetId of await subfolders(dir)) {
    const models = await subfolders(join(dir, synsetId));
    const found = await Promise.all(
      models.map(async (modelId) => {
        const objPath = join(dir, synsetId, modelId, 'models', 'model_normalized.obj');
        return (await isFile(objPath)) ? objPath : undefined;
      }),
    );
    models.forEach((modelId, i) => {
      const objPath = found[i];
      if (!objPath) return;
      const category = taxonomy.get(synsetId) ?? synsetId;
      objects.push({ kind: 'object', id: `${synsetId}/${modelId}`, category, synsetId, modelId, objPath });
    });
  }
  return objects;
}
