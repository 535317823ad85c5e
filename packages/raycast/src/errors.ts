import { type Assert, assertFor, OxelsError } from '@oxels/core';

/** Error codes of @oxels/raycast. */
export type RaycastErrorCode = 'BAD_CAMERA' | 'BAD_SCENE' | 'BAD_ARGUMENT' | 'WORKER_FAILED';

/** The error class of @oxels/raycast; `path` names the file when there is one. */
export class RaycastError extends OxelsError<RaycastErrorCode> {}

/** Throws a RaycastError when `cond` is false; the message is built only then. */
export const assert: Assert<RaycastErrorCode> = assertFor(RaycastError);
