import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DatasetError } from './errors.ts';
import type { DatasetManifest, ManifestShard } from './DatasetManifest.ts';
import { readManifest } from './manifest.ts';
import { listShards, shardFileNames, shardStatusCounts } from './readShards.ts';
import type { DecodeSampleOptions } from './sampleCodec.ts';
import { shardName } from './schema.ts';

/** What is wrong with one shard of a dataset. */
export interface ShardProblem {
  /** File name, e.g. shard-000004.tar. */
  name: string;
  path: string;
  /** What is wrong, e.g. "missing", "sha256 mismatch", "not in manifest.json". */
  problem: string;
}

/** What `validateDataset` found. */
export interface DatasetValidation {
  dir: string;
  /** `manifest.json`, or null when the directory has none (then only readability is checked). */
  manifest: DatasetManifest | null;
  /** Paths of the shards that passed every check, in order. */
  valid: string[];
  /** Pairs in the valid shards. */
  validPairs: number;
  /** Shards the dataset should hold: the manifest's shardCount, or without one the shard files found. */
  expectedShards: number;
  /** Pairs the manifest lists; null without a manifest. */
  expectedPairs: number | null;
  /** Every shard that is missing, damaged or unexpected, by name. */
  problems: ShardProblem[];
  /** Bytes read and hashed. */
  bytes: number;
}

/**
 * Checks a gen-scenes dataset directory against its manifest: every shard the manifest lists (and
 * every one its shardCount implies) is present, with the recorded byte size, sha256 and sample count,
 * reads to its end-of-archive blocks, and holds well-formed samples with the layers config.depth and
 * config.instances promise (decodeSample; images are not decoded). A shard file the manifest does not
 * list is a problem too. Without a manifest (a run in progress or killed, one part of a split run, a
 * partial copy) only readability can be checked, and `manifest` is null: the caller decides. Reads
 * every byte once; throws DatasetError('SHARD_READ') only for a missing directory, an unreadable
 * manifest, or a directory with neither manifest nor shards.
 */
export async function validateDataset(dir: string): Promise<DatasetValidation> {
  const onDisk = shardFileNames(dir);
  const manifest = readManifest(dir);
  if (!manifest && onDisk.length === 0) listShards(dir); // throws its "holds no shard" error
  const layers: DecodeSampleOptions = manifest
    ? { depth: manifest.config.depth === true, instances: manifest.config.instances === true }
    : { depth: false, instances: false };
  const problems: ShardProblem[] = [];
  const valid: string[] = [];
  let validPairs = 0;
  let bytesRead = 0;
  const problem = (name: string, what: string) =>
    problems.push({ name, path: join(dir, name), problem: what });

  /** The shard's samples, or the reason it is unreadable. */
  const countSamples = async (path: string, bytes: Buffer): Promise<number | string> => {
    try {
      return (await shardStatusCounts(bytes, path, layers)).pairs;
    } catch (err) {
      if (!(err instanceof DatasetError)) throw err;
      return `unreadable: ${err.message}`;
    }
  };

  const listed = new Set(manifest?.shards.map((s) => s.name) ?? onDisk);
  // Without a manifest, every shard file found, with nothing recorded to compare against.
  const records: (Partial<ManifestShard> & { name: string })[] =
    manifest?.shards ?? onDisk.map((name) => ({ name }));
  for (const record of records) {
    const path = join(dir, record.name);
    if (!existsSync(path)) {
      problem(record.name, 'missing');
      continue;
    }
    const size = statSync(path).size;
    if (record.bytes !== undefined && size !== record.bytes) {
      problem(
        record.name,
        size < record.bytes
          ? `truncated: ${size} of ${record.bytes} bytes`
          : `${size} bytes, manifest.json says ${record.bytes}`,
      );
      continue;
    }
    const bytes = await readFile(path);
    bytesRead += bytes.length;
    if (record.sha256 !== undefined && createHash('sha256').update(bytes).digest('hex') !== record.sha256) {
      problem(record.name, 'sha256 mismatch (changed since gen-scenes wrote it)');
      continue;
    }
    const samples = await countSamples(path, bytes);
    if (typeof samples === 'string') problem(record.name, samples);
    else if (record.samples !== undefined && samples !== record.samples) {
      problem(record.name, `holds ${samples}, manifest.json says ${record.samples} samples`);
    } else {
      valid.push(path);
      validPairs += samples;
    }
  }
  if (manifest) {
    for (const name of onDisk) if (!listed.has(name)) problem(name, 'not in manifest.json');
    for (let s = 0; s < manifest.shardCount; s++) {
      const name = shardName(s);
      if (!listed.has(name) && !onDisk.includes(name)) {
        problem(name, `missing, and not in manifest.json (whose shardCount is ${manifest.shardCount})`);
      }
    }
  }
  problems.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return {
    dir,
    manifest,
    valid,
    validPairs,
    expectedShards: manifest ? Math.max(manifest.shardCount, manifest.shards.length) : onDisk.length,
    expectedPairs: manifest ? manifest.shards.reduce((n, s) => n + s.samples, 0) : null,
    problems,
    bytes: bytesRead,
  };
}
