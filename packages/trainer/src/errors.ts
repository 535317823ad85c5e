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

/** The one error class of @oxels/trainer: a code a caller can switch on, and the file path when there is one. */
export class TrainerError extends Error {
  readonly code: TrainerErrorCode;
  readonly path: string | undefined;
  constructor(code: TrainerErrorCode, message: string, path?: string) {
    super(message);
    this.name = 'TrainerError';
    this.code = code;
    this.path = path;
  }
}

/** Throws a TrainerError when `cond` is false; the message is built only then. */
export function assert(cond: unknown, code: TrainerErrorCode, message: () => string): asserts cond {
  if (!cond) throw new TrainerError(code, message());
}
