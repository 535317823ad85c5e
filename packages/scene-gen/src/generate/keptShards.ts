import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { SceneGenError } from '../errors.ts';
import { type ManifestShard, scanShard, type DecodeSampleOptions, shardName } from '@oxels/dataset';

/**
 * The shards of an earlier run that a resumed run keeps, by shard index. A shard is kept only when it
 * reads as a tar, holds the samples it must hold, each with the `layers` the config asks for, and,
 * where a manifest recorded it, still has that
 * sha256 (scanShard hashes it anyway). Any other is reported to `warn` and left to be generated again:
 * its bytes follow from the config, and the new shard replaces it by rename.
 * @param shards indices of the shards this machine writes
 * @param expectedSamples samples shard s must hold: shardSize, or the remainder for the last shard
 * @param recorded shards listed by the manifests in `dir`
 * @param layers the optional layers (depth, instances) every sample must have
 */
export async function keptShards(
  dir: string,
  shards: number[],
  expectedSamples: (s: number) => number,
  recorded: ManifestShard[],
  layers: DecodeSampleOptions,
  warn: (message: string) => void,
): Promise<Map<number, ManifestShard>> {
  const sha256 = new Map(recorded.map((r) => [r.name, r.sha256]));
  const kept = new Map<number, ManifestShard>();
  for (const s of shards) {
    const path = join(dir, shardName(s));
    if (!existsSync(path)) continue;
    const { record, problem } = await checkShard(path, expectedSamples(s), sha256.get(shardName(s)), layers);
    if (record) kept.set(s, record);
    else warn(`${shardName(s)} ${problem}: generating it again`);
  }
  return kept;
}

async function checkShard(
  path: string,
  expected: number,
  sha256: string | undefined,
  layers: DecodeSampleOptions,
): Promise<{ record: ManifestShard; problem?: undefined } | { record?: undefined; problem: string }> {
  let record: ManifestShard;
  try {
    record = await scanShard(path, layers);
  } catch (err) {
    if (err instanceof SceneGenError) return { problem: 'is not a readable shard' };
    throw err;
  }
  if (record.samples !== expected) {
    return { problem: `holds ${record.samples} samples where it must hold ${expected}` };
  }
  if (sha256 !== undefined && record.sha256 !== sha256) {
    return { problem: 'differs from the sha256 its manifest records' };
  }
  return { record };
}
