import { fileURLToPath } from 'node:url';

/** Where the embedded default assets are cached: `assets/cache/` at the repository root (gitignored). */
export const DEFAULT_ASSET_CACHE_DIR = fileURLToPath(new URL('../../../assets/cache/', import.meta.url));
