/** Error codes of @oxels/inspect. */
export type InspectErrorCode =
  | 'BAD_ARGUMENT'
  | 'MISSING_DIR'
  | 'UNKNOWN_PAIR'
  | 'SHARD_READ'
  | 'NO_DESCRIPTORS';

/**
 * The one error class of @oxels/inspect: a code a caller can switch on, a message naming the culprit,
 * and the file path when there is one.
 */
export class InspectError extends Error {
  readonly code: InspectErrorCode;
  readonly path?: string;
  constructor(code: InspectErrorCode, message: string, path?: string) {
    super(message);
    this.name = 'InspectError';
    this.code = code;
    if (path !== undefined) this.path = path;
  }
}

/** Throws an InspectError when `cond` is false; the message is built only then. */
export function assert(
  cond: unknown,
  code: InspectErrorCode,
  message: () => string,
  path?: string,
): asserts cond {
  if (!cond) throw new InspectError(code, message(), path);
}
