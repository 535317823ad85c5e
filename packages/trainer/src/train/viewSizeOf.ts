import { listShards, readManifest, readShard } from '@oxels/scene-gen';
import type { TrainSource } from './TrainConfig.ts';

/**
 * The [width, height] of a 3D source's views, read cheaply before anything is trained or written: the
 * generator's for live pairs; for shards, manifest.json's config, else the first sample of the first
 * shard. null for 2D sources and for shards that hold no sample. Throws the shard reader's errors (no
 * directory, no shard, damaged manifest or shard) naming the file.
 */
export async function viewSizeOf(source: TrainSource): Promise<[number, number] | null> {
  if (source.kind === 'live') return [source.generate.width, source.generate.height];
  if (source.kind !== 'shards') return null;
  const shards = listShards(source.dir);
  const { width, height } = readManifest(source.dir)?.config ?? {};
  if (isSide(width) && isSide(height)) return [width, height];
  const samples = readShard(shards[0]);
  try {
    const first = await samples.next();
    return first.done ? null : [first.value.meta.width, first.value.meta.height];
  } finally {
    await samples.return(undefined);
  }
}

const isSide = (x: unknown): x is number => Number.isInteger(x) && (x as number) > 0;
