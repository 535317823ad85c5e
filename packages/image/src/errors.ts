import { type Assert, assertFor, OxelsError } from '@oxels/core';

/** Error codes of @oxels/image. */
export type ImageErrorCode =
  | 'BAD_ARGUMENT'
  | 'EMPTY_CHART'
  | 'WRITE_FAILED'
  | 'UNKNOWN_FORMAT'
  | 'CORRUPT_IMAGE';

/** The error class of @oxels/image; `path` names the file when there is one. */
export class ImageError extends OxelsError<ImageErrorCode> {}

/** Throws a ImageError when `cond` is false; the message is built only then. */
export const assert: Assert<ImageErrorCode> = assertFor(ImageError);
