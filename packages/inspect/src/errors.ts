import { type Assert, assertFor, OxelsError } from '@oxels/core';

/** Error codes of @oxels/inspect (a dataset that cannot be read fails with @oxels/dataset's DatasetError). */
export type InspectErrorCode = 'BAD_ARGUMENT';

/** The error class of @oxels/inspect; `path` names the file when there is one. */
export class InspectError extends OxelsError<InspectErrorCode> {}

/** Throws a InspectError when `cond` is false; the message is built only then. */
export const assert: Assert<InspectErrorCode> = assertFor(InspectError);
