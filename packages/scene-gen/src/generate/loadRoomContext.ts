import { createRng, deriveSeed } from '@oxels/core';
import type { Asset } from '../assets/Asset.ts';
import type { ObjectRef, RoomRef } from '../assets/listAssets.ts';
import { loadAsset } from '../assets/loadAssets.ts';
import { composeRoom } from '../scene/composeScene.ts';
import type { GenerateConfig } from './GenerateConfig.ts';
import type { RoomContext } from './generatePair.ts';

/** Objects offered to one room: a seeded subset of the object list (all of it when small). */
const OBJECT_POOL_SIZE = 32;

/**
 * Loads assets once per worker and remembers failures, so a file that cannot be parsed is reported
 * once and then skipped everywhere.
 */
export class AssetStore {
  private readonly loaded = new Map<string, Promise<Asset | null>>();
  constructor(private readonly onWarning: (message: string) => void) {}

  /** The asset, or null (with one warning) when its file cannot be loaded. */
  get(ref: RoomRef | ObjectRef): Promise<Asset | null> {
    let asset = this.loaded.get(ref.id);
    if (!asset) {
      asset = loadAsset(ref, { onWarning: this.onWarning }).catch((err: Error) => {
        this.onWarning(`skipping ${ref.kind} ${ref.id}: ${err.message}`);
        return null;
      });
      this.loaded.set(ref.id, asset);
    }
    return asset;
  }

  /** Forgets a loaded room (rooms are large; objects stay). */
  drop(id: string): void {
    this.loaded.delete(id);
  }
}

/**
 * Room `index` of the dataset, composed: the index-th room of the list (cycling), or the next one that
 * loads when its file is bad; with `fallback` = f, the f-th loadable room after that one (used when a
 * room offers no camera pose). Its objects are drawn from a seeded pool of the object list. Everything
 * follows from (config.seed, index, fallback), so every worker and machine composes the same room.
 */
export async function loadRoomContext(
  index: number,
  rooms: RoomRef[],
  objects: ObjectRef[],
  config: GenerateConfig,
  store: AssetStore,
  fallback = 0,
): Promise<RoomContext | null> {
  let skip = fallback;
  for (let k = 0; k < rooms.length; k++) {
    const ref = rooms[(index + k) % rooms.length];
    const room = await store.get(ref);
    if (!room || skip-- > 0) continue;
    const poolRng = createRng(deriveSeed(config.seed, 1, index));
    const pool: ObjectRef[] = [];
    const candidates = [...objects];
    while (pool.length < OBJECT_POOL_SIZE && candidates.length > 0) {
      pool.push(candidates.splice(poolRng.int(candidates.length), 1)[0]);
    }
    const loaded = (await Promise.all(pool.map((o) => store.get(o)))).filter((a): a is Asset => a !== null);
    // Sorted by id, so the placement draws do not depend on the pool's draw order.
    loaded.sort((a, b) => (a.id < b.id ? -1 : 1));
    const composed = composeRoom(room, loaded, createRng(deriveSeed(config.seed, 3, index, k)), {
      count: config.objectsPerRoom,
    });
    const assets = new Map<string, Asset>([
      [room.id, room],
      ...loaded.map((a) => [a.id, a] as [string, Asset]),
    ]);
    return { index, composed, assets };
  }
  return null;
}
