import { type Assert, assertFor, OxelsError } from '@oxels/core';

/**
 * Error codes of @oxels/trainer. Add a code here when a new kind of failure needs its own handling.
 * - BAD_ARGUMENT: a caller passed an invalid value (shape, range, option).
 * - BAD_DATA: a file or dataset exists but its content is malformed (truncated, wrong magic, mismatched counts).
 * - NOT_FOUND: a file or directory that was asked for does not exist or holds nothing usable.
 * - BACKEND_UNAVAILABLE: the requested tensor backend cannot run here (package missing, no GPU, init failed).
 * - NON_FINITE: training produced a non-finite loss, gradient norm or weight (the run stops; its checkpoints are intact).
 */
export type TrainerErrorCode =
  | 'BAD_ARGUMENT'
  | 'BAD_DATA'
  | 'NOT_FOUND'
  | 'BACKEND_UNAVAILABLE'
  | 'NON_FINITE';

/** The error class of @oxels/trainer; `path` names the file when there is one. */
export class TrainerError extends OxelsError<TrainerErrorCode> {}

/** Throws a TrainerError when `cond` is false; the message is built only then. */
export const assert: Assert<TrainerErrorCode> = assertFor(TrainerError);
