import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeJsonAtomic } from '@oxels/core';
import { DatasetError } from './errors.ts';
import { checkManifest } from './checkManifest.ts';
import { MANIFEST_FILE } from './datasetFiles.ts';
import type { DatasetManifest, ManifestShard, StatusCounts } from './DatasetManifest.ts';

export function emptyCounts(): StatusCounts {
  return { pairs: 0, sampled: 0, match: 0, occluded: 0, outOfView: 0, miss: 0 };
}

export function addCounts(into: StatusCounts, c: StatusCounts): StatusCounts {
  for (const key of Object.keys(into) as (keyof StatusCounts)[]) into[key] += c[key];
  return into;
}

/** Builds a manifest from shard records (sorted by name). */
export function buildManifest(
  generator: DatasetManifest['generator'],
  config: Record<string, unknown> & { seed: number },
  shardCount: number,
  shards: ManifestShard[],
): DatasetManifest {
  const sorted = [...shards].sort((a, b) => (a.name < b.name ? -1 : 1));
  const sum = sorted.reduce((acc, s) => addCounts(acc, s.counts), emptyCounts());
  const frac = (x: number) => (sum.sampled ? x / sum.sampled : 0);
  return {
    format: 'oxels-view-pairs',
    formatVersion: 1,
    generator,
    seed: config.seed,
    config,
    shardCount,
    shards: sorted,
    totals: {
      ...sum,
      shards: sorted.length,
      matchFraction: frac(sum.match),
      occludedFraction: frac(sum.occluded),
      outOfViewFraction: frac(sum.outOfView),
      missFraction: frac(sum.miss),
    },
  };
}

/** File name of part `index` of a split run's manifest. */
export function manifestPartName(index: number, count: number): string {
  return `manifest.part-${String(index).padStart(3, '0')}-of-${String(count).padStart(3, '0')}.json`;
}

/**
 * Merges the parts of a split run into `manifest.json` once all `count` parts are in `dir`.
 * Returns the merged manifest, or null while parts are missing. The merged manifest equals the one a
 * single machine writes for the same config.
 */
export async function mergeManifestParts(dir: string, count: number): Promise<DatasetManifest | null> {
  const names = Array.from({ length: count }, (_, i) => manifestPartName(i, count));
  if (!names.every((n) => existsSync(join(dir, n)))) return null;
  const parts = names.map((n) => readManifestFile(join(dir, n)));
  const first = parts[0];
  for (const [i, part] of parts.entries()) {
    if (JSON.stringify(part.config) !== JSON.stringify(first.config)) {
      throw new DatasetError(
        'SHARD_WRITE',
        `mergeManifestParts: ${names[i]} was made with another config than ${names[0]}`,
        join(dir, names[i]),
      );
    }
  }
  const merged = buildManifest(
    first.generator,
    first.config as DatasetManifest['config'] & { seed: number },
    first.shardCount,
    parts.flatMap((p) => p.shards),
  );
  await writeJsonAtomic(join(dir, MANIFEST_FILE), merged);
  return merged;
}

/**
 * Reads `DIR/manifest.json`, if there is one (null when not). Throws DatasetError('SHARD_READ') naming
 * the file when it is not valid JSON or lacks a field readers use (see checkManifest).
 */
export function readManifest(dir: string): DatasetManifest | null {
  const path = join(dir, MANIFEST_FILE);
  return existsSync(path) ? readManifestFile(path) : null;
}

/** Reads and checks one manifest file (manifest.json or a split run's part). */
function readManifestFile(path: string): DatasetManifest {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new DatasetError(
      'SHARD_READ',
      `readManifest: ${path} is not valid JSON (${(err as Error).message})`,
      path,
    );
  }
  return checkManifest(value, path);
}
