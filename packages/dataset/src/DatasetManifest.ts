import type { ShardRecord } from './ShardWriter.ts';

/** Status counts of a shard or a dataset (sampled pixels over all pairs). */
export interface StatusCounts {
  pairs: number;
  sampled: number;
  match: number;
  occluded: number;
  outOfView: number;
  miss: number;
}

/** A shard in the manifest. */
export interface ManifestShard extends ShardRecord {
  counts: StatusCounts;
}

/** `OUT/manifest.json`: how the dataset was made and what it holds. Deterministic: no times, no hosts. */
export interface DatasetManifest {
  format: 'oxels-view-pairs';
  formatVersion: 1;
  generator: { name: string; version: string };
  seed: number;
  /** The full GenerateConfig. */
  config: Record<string, unknown>;
  /** Total shards of the dataset (a split run's part lists only its own). */
  shardCount: number;
  shards: ManifestShard[];
  totals: StatusCounts & {
    shards: number;
    matchFraction: number;
    occludedFraction: number;
    outOfViewFraction: number;
    missFraction: number;
  };
}
