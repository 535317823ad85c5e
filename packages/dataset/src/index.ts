// @oxels/dataset: the shard format (docs/architecture.md#shard-format). What a sample holds, how it is
// coded into a tar shard, how shards are written, read, listed and checked against their manifest.
// No three.js, no rendering: the trainer and inspect read datasets through this package alone.

// samples
export type { ViewPairMeta, ViewPairSample } from './ViewPairSample.ts';
export type { NpyLayout } from './schema.ts';
export { MAX_SHARDS, OPTIONAL_LAYERS, SAMPLE_ARRAYS, SAMPLE_FILES, sampleKey, shardName } from './schema.ts';
export type { DecodeSampleOptions, SampleFile } from './sampleCodec.ts';
export { DEFAULT_DECODE_SAMPLE_OPTIONS, decodeSample, encodeSample } from './sampleCodec.ts';
export type { NpyArray } from './npy.ts';
export { decodeNpy, encodeNpy } from './npy.ts';

// shards
export type { ShardRecord } from './ShardWriter.ts';
export { ShardWriter } from './ShardWriter.ts';
export { listShards, readDataset, readShard, scanShard } from './readShards.ts';
export type { TarEntry } from './tarIndex.ts';
export { readTarEntry, tarIndex } from './tarIndex.ts';

// random access: a dataset's pairs by key, read from their shards' offsets
export type { PairRef } from './DatasetIndex.ts';
export { DatasetIndex } from './DatasetIndex.ts';

// manifest and the dataset directory
export type { DatasetManifest, ManifestShard, StatusCounts } from './DatasetManifest.ts';
export {
  addCounts,
  buildManifest,
  emptyCounts,
  manifestPartName,
  mergeManifestParts,
  readManifest,
} from './manifest.ts';
export {
  datasetFiles,
  GENERATE_CONFIG_FILE,
  isShardFile,
  MANIFEST_FILE,
  removeDatasetFiles,
  staleTemporaries,
} from './datasetFiles.ts';
export type { DatasetRecord } from './datasetRecords.ts';
export { readDatasetRecords, writeConfigRecord } from './datasetRecords.ts';
export type { DatasetValidation, ShardProblem } from './validateDataset.ts';
export { validateDataset } from './validateDataset.ts';

// errors
export type { DatasetErrorCode } from './errors.ts';
export { DatasetError } from './errors.ts';
