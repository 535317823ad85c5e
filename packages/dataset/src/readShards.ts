import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readdirSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { CorrespondenceStatus, optionName } from '@oxels/core';
import { DatasetError } from './errors.ts';
import { isShardFile } from './datasetFiles.ts';
import type { ManifestShard, StatusCounts } from './DatasetManifest.ts';
import { emptyCounts } from './manifest.ts';
import { type DecodeSampleOptions, decodeSample } from './sampleCodec.ts';
import { type TarFile, tarFiles } from './tarFiles.ts';
import type { ViewPairSample } from './ViewPairSample.ts';

/**
 * The complete shards of a dataset directory, in order (shard-*.tar; `.tmp` leftovers of a killed run
 * are ignored). Throws DatasetError('SHARD_READ') for a missing directory or one with no shard.
 */
export function listShards(dir: string): string[] {
  const names = shardFileNames(dir);
  if (names.length === 0) {
    throw new DatasetError(
      'SHARD_READ',
      `listShards: ${dir} holds no shard-NNNNNN.tar (run gen-scenes ${optionName('out')} ${dir})`,
      dir,
    );
  }
  return names.map((f) => join(dir, f));
}

/** The shard file names in `dir`, sorted (maybe none); throws when `dir` is not a directory. */
export function shardFileNames(dir: string): string[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new DatasetError(
      'SHARD_READ',
      `listShards: ${dir} is not a directory (expected the ${optionName('out')} of gen-scenes)`,
      dir,
    );
  }
  return readdirSync(dir).filter(isShardFile).sort();
}

/**
 * Streams the samples of one shard in order. A sample's files are consecutive entries sharing a key
 * (the name up to the first '.'); `options` says which optional layers every sample must have. Throws
 * DatasetError('SHARD_READ') naming the shard when it is truncated (even on a sample boundary) or a
 * sample is malformed (see decodeSample). Does not know how many samples the shard should hold: only
 * validateDataset, with the manifest, does.
 */
export async function* readShard(
  path: string,
  options: Partial<DecodeSampleOptions> = {},
): AsyncGenerator<ViewPairSample> {
  yield* shardSamples(tarFiles(createReadStream(path), path), path, options);
}

/** The samples of a shard from its files in order (see readShard); `path` names the shard in errors. */
export async function* shardSamples(
  files: AsyncIterable<TarFile>,
  path: string,
  options: Partial<DecodeSampleOptions> = {},
): AsyncGenerator<ViewPairSample> {
  let key: string | null = null;
  let sample = new Map<string, Uint8Array>();
  for await (const { name, data } of files) {
    const dot = name.indexOf('.');
    const entryKey = name.slice(0, dot);
    if (key !== null && entryKey !== key) {
      yield decodeSample(key, sample, path, options);
      sample = new Map();
    }
    key = entryKey;
    sample.set(name.slice(dot + 1), data);
  }
  if (key !== null) yield decodeSample(key, sample, path, options);
}

/**
 * Streams every sample of a dataset directory, shard after shard (whatever shards are there, complete or
 * not: validateDataset checks them against the manifest), or of the given shard files.
 */
export async function* readDataset(source: string | readonly string[]): AsyncGenerator<ViewPairSample> {
  for (const shard of typeof source === 'string' ? listShards(source) : source) yield* readShard(shard);
}

/**
 * The manifest record of an existing shard, from its bytes: size, sha256, sample count and status
 * counts (every sample decoded and checked as readShard does, no image decoding). Used when a run
 * resumes; throws DatasetError('SHARD_READ') for a truncated or malformed shard, which is then not
 * complete.
 */
export async function scanShard(
  path: string,
  options: Partial<DecodeSampleOptions> = {},
): Promise<ManifestShard> {
  const bytes = await readFile(path).catch((err: Error) => {
    throw new DatasetError('SHARD_READ', `scanShard: cannot read ${path} (${err.message})`, path);
  });
  const counts = await shardStatusCounts(bytes, path, options);
  return {
    name: basename(path),
    samples: counts.pairs,
    bytes: bytes.length,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    counts,
  };
}

/**
 * Samples (`pairs`) and status counts of a shard held in memory, every sample decoded and checked as
 * readShard does (no image decoding). Throws DatasetError('SHARD_READ') naming `path` for a truncated
 * or malformed shard.
 */
export async function shardStatusCounts(
  bytes: Uint8Array,
  path: string,
  options: Partial<DecodeSampleOptions> = {},
): Promise<StatusCounts> {
  const counts = emptyCounts();
  for await (const { status } of shardSamples(tarFiles(bytes, path), path, options)) {
    counts.pairs++;
    counts.sampled += status.length;
    for (const s of status) {
      if (s === CorrespondenceStatus.MATCH) counts.match++;
      else if (s === CorrespondenceStatus.OCCLUDED) counts.occluded++;
      else if (s === CorrespondenceStatus.OUT_OF_VIEW) counts.outOfView++;
      else counts.miss++;
    }
  }
  return counts;
}
