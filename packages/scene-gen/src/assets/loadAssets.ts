import { AssetLoadError } from '../errors.ts';
import type { Asset } from './Asset.ts';
import type { WarningHandler } from './assetUtils.ts';
import type { AssetRef } from './listAssets.ts';
import { loadObjAsset } from './loadObjAsset.ts';
import { loadRoomPly, type RoomLoadOptions } from './loadRoomPly.ts';

/** Options of loadAsset and loadAssets. */
export interface AssetLoadOptions {
  /** Receives non-fatal problems, and (loadAssets) each skipped asset. */
  onWarning?: WarningHandler;
  /** Up-axis handling of rooms (see RoomLoadOptions.upAxis); default 'auto'. */
  upAxis?: RoomLoadOptions['upAxis'];
}

/**
 * Loads one listed room or object.
 *
 * @throws AssetLoadError naming the file for anything that goes wrong while reading it, including
 *   unexpected errors of the parsers (a parser bug on odd input must not look like a crash of ours)
 */
export async function loadAsset(ref: AssetRef, options: AssetLoadOptions = {}): Promise<Asset> {
  const path = ref.kind === 'room' ? ref.plyPath : ref.objPath;
  try {
    if (ref.kind === 'room') {
      return await loadRoomPly(ref.plyPath, {
        id: ref.id,
        xmlPath: ref.xmlPath,
        onWarning: options.onWarning,
        ...(options.upAxis ? { upAxis: options.upAxis } : {}),
      });
    }
    return await loadObjAsset(ref.objPath, {
      id: ref.id,
      category: ref.category,
      onWarning: options.onWarning,
    });
  } catch (error) {
    if (error instanceof AssetLoadError) throw error;
    throw new AssetLoadError(
      `loadAsset: cannot load ${ref.kind} ${ref.id} from ${path} (${String(error)})`,
      path,
      error,
    );
  }
}

/** What loadAssets returns: the assets that loaded, in input order, and the ones skipped. */
export interface AssetBatch {
  assets: Asset[];
  failures: { ref: AssetRef; error: AssetLoadError }[];
}

/**
 * Loads many assets one after the other; a file that cannot be loaded is skipped with a warning
 * naming it and what is wrong, so one bad file never ends a run.
 *
 * @param onProgress called after each asset with (done, total)
 */
export async function loadAssets(
  refs: AssetRef[],
  options: AssetLoadOptions & { onProgress?: (done: number, total: number) => void } = {},
): Promise<AssetBatch> {
  const batch: AssetBatch = { assets: [], failures: [] };
  for (const [i, ref] of refs.entries()) {
    try {
      batch.assets.push(await loadAsset(ref, options));
    } catch (error) {
      if (!(error instanceof AssetLoadError)) throw error;
      batch.failures.push({ ref, error });
      options.onWarning?.(`loadAssets: skipped ${ref.kind} ${ref.id}: ${error.message}`);
    }
    options.onProgress?.(i + 1, refs.length);
  }
  return batch;
}
