import { fileURLToPath } from 'node:url';
import type { EmbeddedAssetsOptions } from './assets/embedded/generateEmbeddedAssets.ts';
import type { RoomLoadOptions } from './assets/loadRoomPly.ts';

/** Defaults of loadRoomPly / parseRoomPly. */
export const DEFAULT_ROOM_LOAD_OPTIONS: RoomLoadOptions = { upAxis: 'auto' };

/**
 * Version of the embedded default asset generator. Bump it whenever the generator's output
 * changes, so that caches made by an older version are regenerated.
 */
export const EMBEDDED_ASSETS_VERSION = 2;

/** Defaults of generateEmbeddedAssets / ensureDefaultAssets: 76 rooms, as in the paper. */
export const DEFAULT_EMBEDDED_ASSETS_OPTIONS: EmbeddedAssetsOptions = { seed: 76, roomCount: 76 };

/** Where the embedded default assets are cached: `assets/cache/` at the repository root (gitignored). */
export const DEFAULT_ASSET_CACHE_DIR = fileURLToPath(new URL('../../../assets/cache/', import.meta.url));
