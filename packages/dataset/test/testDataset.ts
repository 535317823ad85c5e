import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  addCounts,
  buildManifest,
  emptyCounts,
  MANIFEST_FILE,
  type ManifestShard,
  ShardWriter,
  type ViewPairSample,
} from '@oxels/dataset';

/** A small but complete sample with recognisable values. */
export function testSample(pair: number, w = 6, h = 4, room = 0): ViewPairSample {
  const rgb = (o: number) => Uint8Array.from({ length: w * h * 3 }, (_, i) => (i * 7 + o) % 256);
  return {
    meta: {
      key: `r${String(room).padStart(3, '0')}-p${String(pair).padStart(6, '0')}`,
      width: w,
      height: h,
      fx: 5,
      fy: 5,
      cx: 3,
      cy: 2,
      poseA: [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1],
      poseB: [1, 0, 0, 0.5, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1],
      room: { index: room, id: String(room).padStart(3, '0') },
      objects: [{ instance: 1, assetId: 'x/y', category: 'mug', transform: [] }],
      seeds: { scene: 1, pair, attempt: 0 },
      stats: { total: 3, match: 1, occluded: 1, outOfView: 1, miss: 0, matchFraction: 1 / 3 },
    },
    rgbA: rgb(pair),
    rgbB: rgb(pair + 1),
    aIndex: Int32Array.from([1, 5, 20]),
    bXY: Float32Array.from([2.25, 1.5, Number.NaN, Number.NaN, Number.NaN, Number.NaN]),
    status: Uint8Array.from([0, 1, 2]),
    depthA: Float32Array.from({ length: w * h }, (_, i) => i / 10),
    depthB: Float32Array.from({ length: w * h }, (_, i) => 1 + i / 10),
    instA: Uint16Array.from({ length: w * h }, (_, i) => i % 3),
    instB: Uint16Array.from({ length: w * h }, (_, i) => 300 + (i % 2)),
  };
}

/**
 * Writes a small real dataset into a new temporary directory: shards through ShardWriter (pairs
 * testSample(i), two to a room) and their manifest.json; returns it and the samples.
 *
 * @param shards pairs per shard, e.g. [2, 1] = two shards holding 2 and 1 pairs
 */
export async function writeTestDataset(
  shards: number[],
): Promise<{ dir: string; samples: ViewPairSample[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'oxels-dataset-'));
  const samples: ViewPairSample[] = [];
  const records: ManifestShard[] = [];
  for (const [index, count] of shards.entries()) {
    const writer = new ShardWriter(dir, index);
    const counts = emptyCounts();
    for (let i = 0; i < count; i++) {
      const sample = testSample(samples.length, 6, 4, Math.floor(samples.length / 2));
      writer.add(sample);
      samples.push(sample);
      const { total: sampled, match, occluded, outOfView, miss } = sample.meta.stats;
      addCounts(counts, { pairs: 1, sampled, match, occluded, outOfView, miss });
    }
    records.push({ ...(await writer.close()), counts });
  }
  const manifest = buildManifest(
    { name: 'dataset-test-fixture', version: '0' },
    { seed: 0, depth: true, instances: true },
    records.length,
    records,
  );
  writeFileSync(join(dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  return { dir, samples };
}
