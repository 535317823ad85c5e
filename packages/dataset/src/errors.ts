import { OxelsError } from '@oxels/core';

/** Error codes of @oxels/dataset. SHARD_READ: a shard, sample or manifest that cannot be read or fails its checks. */
export type DatasetErrorCode = 'SHARD_READ' | 'SHARD_WRITE' | 'BAD_ARGUMENT';

/** The error class of @oxels/dataset; `path` names the file when there is one. */
export class DatasetError extends OxelsError<DatasetErrorCode> {}
