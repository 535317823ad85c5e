import { getSystemErrorMap } from 'node:util';

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

/**
 * A dataset file that cannot be written (disk full, no permission, an I/O error). `path` names the file
 * and `cause` is the system error; nothing incomplete is left under a final name.
 */
export class ShardWriteError extends SceneGenError {
  constructor(message: string, path: string, cause: unknown) {
    super('SHARD_WRITE', message, path);
    this.name = 'ShardWriteError';
    this.cause = cause;
  }
}

/**
 * A failed system call as a user reads it: `no space left on device (ENOSPC)`. Node's own message
 * (`ENOSPC: no space left on device, write`) leads with the code and ends with the syscall.
 */
export function systemErrorText(err: unknown): string {
  const { errno, code, message } = err as NodeJS.ErrnoException;
  const text = typeof errno === 'number' ? getSystemErrorMap().get(errno)?.[1] : undefined;
  return text && code ? `${text} (${code})` : String(message ?? err);
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
