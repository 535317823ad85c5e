/** Error codes of @oxels/image. */
export type ImageErrorCode = 'BAD_ARGUMENT' | 'EMPTY_CHART' | 'WRITE_FAILED';

/**
 * The one error class of @oxels/image: a code a caller can switch on, a message naming the culprit,
 * and the file path when there is one.
 */
export class ImageError extends Error {
  readonly code: ImageErrorCode;
  readonly path?: string;
  constructor(code: ImageErrorCode, message: string, path?: string) {
    super(message);
    this.name = 'ImageError';
    this.code = code;
    if (path !== undefined) this.path = path;
  }
}

/** Throws an ImageError when `cond` is false; the message is built only then. */
export function assert(
  cond: unknown,
  code: ImageErrorCode,
  message: () => string,
  path?: string,
): asserts cond {
  if (!cond) throw new ImageError(code, message(), path);
}
