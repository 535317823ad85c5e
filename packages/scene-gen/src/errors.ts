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
  | 'SHARD_READ'
  | 'CONFIG_MISMATCH'
  | 'NO_POSE';

/**
 * The one error base class of @oxels/scene-gen: a code a caller can switch on, a message naming the
 * culprit, and the file path when there is one. Subclass it for families (e.g. AssetLoadError).
 */
export class SceneGenError extends Error {
  readonly code: SceneGenErrorCode;
  readonly path?: string;
  constructor(code: SceneGenErrorCode, message: string, path?: string) {
    super(message);
    this.name = 'SceneGenError';
    this.code = code;
    if (path !== undefined) this.path = path;
  }
}

/**
 * A dataset file that cannot be read or parsed (missing, truncated, non-finite coordinates, no
 * triangles...). `path` names the file; batch loaders skip the asset and report this error as a
 * warning, so one bad file never ends a run.
 */
export class AssetLoadError extends SceneGenError {
  constructor(message: string, path: string, cause?: unknown) {
    super('ASSET_LOAD', message, path);
    this.name = 'AssetLoadError';
    if (cause !== undefined) this.cause = cause;
  }
}

/** Throws a SceneGenError when `cond` is false; the message is built only then. */
export function assert(
  cond: unknown,
  code: SceneGenErrorCode,
  message: () => string,
  path?: string,
): asserts cond {
  if (!cond) throw new SceneGenError(code, message(), path);
}
