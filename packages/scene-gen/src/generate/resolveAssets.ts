import { ensureDefaultAssets } from '../procedural/ensureDefaultAssets.ts';
import { listSceneNNRooms, listShapeNetObjects, type ObjectRef, type RoomRef } from '../assets/listAssets.ts';
import { SceneGenError } from '../errors.ts';
import type { GenerateConfig } from './GenerateConfig.ts';

/**
 * The rooms and objects a run draws from: the config's SceneNN / ShapeNet directories, or the
 * embedded default (generated into `assetCache` on first use). Throws SceneGenError('MISSING_DIR')
 * naming a directory that is missing or holds no room.
 */
export async function resolveAssets(
  config: Pick<GenerateConfig, 'scenenn' | 'shapenet'>,
  assetCache: string,
  log: (message: string) => void,
  warn: (message: string) => void,
): Promise<{ scenenn: string; shapenet: string; rooms: RoomRef[]; objects: ObjectRef[] }> {
  let announced = false;
  const onProgress = (_done: number, total: number) => {
    if (!announced) log(`generating the embedded default assets into ${assetCache} (${total} assets, once)`);
    announced = true;
  };
  const defaults =
    config.scenenn && config.shapenet ? null : await ensureDefaultAssets(assetCache, { onProgress });
  const scenenn = config.scenenn ?? defaults!.scenennDir;
  const shapenet = config.shapenet ?? defaults!.shapenetDir;
  const rooms = await listSceneNNRooms(scenenn);
  if (rooms.length === 0) {
    throw new SceneGenError(
      'MISSING_DIR',
      `gen-scenes: ${scenenn} holds no SceneNN room (<id>/<id>.ply)`,
      scenenn,
    );
  }
  const objects = await listShapeNetObjects(shapenet, { onWarning: warn });
  log(`${rooms.length} rooms in ${scenenn}, ${objects.length} objects in ${shapenet}`);
  return { scenenn, shapenet, rooms, objects };
}
