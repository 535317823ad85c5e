import { type Assert, assertFor, OxelsError } from '@oxels/core';

/** Error codes of @oxels/inspect. */
export type InspectErrorCode =
  | 'BAD_ARGUMENT'
  | 'MISSING_DIR'
  | 'UNKNOWN_PAIR'
  | 'SHARD_READ'
  | 'NO_DESCRIPTORS';

/** The error class of @oxels/inspect; `path` names the file when there is one. */
export class InspectError extends OxelsError<InspectErrorCode> {}

/** Throws a InspectError when `cond` is false; the message is built only then. */
export const assert: Assert<InspectErrorCode> = assertFor(InspectError);
