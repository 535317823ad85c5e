import { OxelsError } from '@oxels/core';

/**
 * Error codes of @oxels/dataset. SHARD_READ: a shard, sample or manifest that cannot be read or fails its
 * checks; MISSING_DIR: a dataset directory that is missing or holds no shard; UNKNOWN_PAIR: a pair key
 * the dataset does not have.
 */
export type DatasetErrorCode = 'SHARD_READ' | 'SHARD_WRITE' | 'BAD_ARGUMENT' | 'MISSING_DIR' | 'UNKNOWN_PAIR';

/** The error class of @oxels/dataset; `path` names the file when there is one. */
export class DatasetError extends OxelsError<DatasetErrorCode> {}
