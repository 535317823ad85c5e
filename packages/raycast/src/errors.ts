/** Error codes of @oxels/raycast. */
export type RaycastErrorCode = 'BAD_CAMERA' | 'BAD_SCENE' | 'BAD_ARGUMENT' | 'WORKER_FAILED';

/** The one error class of @oxels/raycast: a code a caller can switch on and a message naming the culprit. */
export class RaycastError extends Error {
  readonly code: RaycastErrorCode;
  constructor(code: RaycastErrorCode, message: string) {
    super(message);
    this.name = 'RaycastError';
    this.code = code;
  }
}

/** Throws a RaycastError when `cond` is false; the message is built only then. */
export function assert(cond: unknown, code: RaycastErrorCode, message: () => string): asserts cond {
  if (!cond) throw new RaycastError(code, message());
}
