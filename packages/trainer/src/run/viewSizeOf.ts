import { DatasetError, listShards, readManifest, readShard } from '@oxels/dataset';
import type { TrainSource } from './TrainConfig.ts';

/**
 * The [width, height] of a 3D source's views, read cheaply before anything is trained or written: the
 * generator's for live pairs; for shards, manifest.json's config, else the first sample of the first
 * shard that reads. null for 2D sources and for shards that hold no readable sample: what is wrong with
 * a damaged dataset is the dataset check's to say (datasetShards, which knows --allow-partial). Throws
 * the shard reader's errors for no directory, no shard or a damaged manifest, naming the file.
 */
export async function viewSizeOf(source: TrainSource): Promise<[number, number] | null> {
  if (source.kind === 'live') return [source.generate.width, source.generate.height];
  if (source.kind !== 'shards') return null;
  const shards = listShards(source.dir);
  const { width, height } = readManifest(source.dir)?.config ?? {};
  if (isSide(width) && isSide(height)) return [width, height];
  for (const shard of shards) {
    const samples = readShard(shard);
    try {
      const first = await samples.next();
      if (!first.done) return [first.value.meta.width, first.value.meta.height];
    } catch (err) {
      if (!(err instanceof DatasetError)) throw err;
    } finally {
      await samples.return(undefined);
    }
  }
  return null;
}

const isSide = (x: unknown): x is number => Number.isInteger(x) && (x as number) > 0;
