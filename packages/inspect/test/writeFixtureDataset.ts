import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DatasetManifest, type ManifestShard, ShardWriter, type ViewPairSample } from '@oxels/dataset';
import { type SyntheticPairOptions, syntheticPair } from './syntheticPair.ts';

/**
 * Writes a small real dataset (shards through scene-gen's ShardWriter, plus a manifest.json) of
 * synthetic pairs with known correspondences into a new temporary directory; returns it and the pairs.
 *
 * @param shards pairs per shard, e.g. [2, 1] = two shards holding 2 and 1 pairs
 */
export async function writeFixtureDataset(
  shards: number[],
  pairOptions: Partial<SyntheticPairOptions> = {},
): Promise<{ dir: string; samples: ViewPairSample[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'oxels-inspect-'));
  const samples: ViewPairSample[] = [];
  const records: ManifestShard[] = [];
  let pair = 0;
  for (const [index, count] of shards.entries()) {
    const writer = new ShardWriter(dir, index);
    const counts = { pairs: 0, sampled: 0, match: 0, occluded: 0, outOfView: 0, miss: 0 };
    for (let i = 0; i < count; i++) {
      const shift: [number, number] = [5.25 + pair, 2.5 - pair / 2];
      const sample = syntheticPair({
        ...pairOptions,
        room: Math.floor(pair / 2),
        pair,
        seed: pair + 1,
        shift,
      });
      writer.add(sample);
      samples.push(sample);
      const s = sample.meta.stats;
      counts.pairs++;
      counts.sampled += s.total;
      counts.match += s.match;
      counts.occluded += s.occluded;
      counts.outOfView += s.outOfView;
      counts.miss += s.miss;
      pair++;
    }
    records.push({ ...(await writer.close()), counts });
  }
  const sum = (f: keyof ManifestShard['counts']) => records.reduce((a, r) => a + r.counts[f], 0);
  const sampled = sum('sampled');
  const manifest: DatasetManifest = {
    format: 'oxels-view-pairs',
    formatVersion: 1,
    generator: { name: 'inspect-test-fixture', version: '0' },
    seed: 0,
    config: { seed: 0, depth: false, instances: false },
    shardCount: records.length,
    shards: records,
    totals: {
      pairs: sum('pairs'),
      sampled,
      match: sum('match'),
      occluded: sum('occluded'),
      outOfView: sum('outOfView'),
      miss: sum('miss'),
      shards: records.length,
      matchFraction: sum('match') / sampled,
      occludedFraction: sum('occluded') / sampled,
      outOfViewFraction: sum('outOfView') / sampled,
      missFraction: sum('miss') / sampled,
    },
  };
  writeFileSync(join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return { dir, samples };
}
