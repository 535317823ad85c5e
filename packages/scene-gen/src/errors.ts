import { type Assert, assertFor, OxelsError } from '@oxels/core';

/** Error codes of @oxels/scene-gen. Add codes here as modules need them. */
export type SceneGenErrorCode =
  | 'BAD_ARGUMENT'
  | 'ASSET_LOAD'
  | 'MISSING_DIR'
  | 'ASSET_CACHE'
  | 'GPU_UNAVAILABLE'
  | 'RENDER_FAILED'
  | 'DISPOSED'
  | 'SHARD_WRITE'
  | 'CONFIG_MISMATCH'
  | 'NO_POSE';

/** The error class of @oxels/scene-gen; subclass it for families (e.g. AssetLoadError). */
export class SceneGenError extends OxelsError<SceneGenErrorCode> {}

/**
 * A dataset file that cannot be read or parsed (missing, truncated, non-finite coordinates, no
 * triangles...). `path` names the file; batch loaders skip the asset and report this error as a
 * warning, so one bad file never ends a run.
 */
export class AssetLoadError extends SceneGenError {
  constructor(message: string, path: string, cause?: unknown) {
    super('ASSET_LOAD', message, path, cause);
  }
}

/** Throws a SceneGenError when `cond` is false; the message is built only then. */
export const assert: Assert<SceneGenErrorCode> = assertFor(SceneGenError);
