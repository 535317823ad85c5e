// Benchmark of gen-scenes on the embedded default assets: pairs/s at 256x256 and at 640x480, with the
// worker time per pair split into compose (room load + placement, cameras, scene), render,
// correspondences, encode and write; and the time to generate the embedded assets themselves (76 rooms,
// the objects) once. With --live, the live stream a `train --live` run reads instead (livePairs): pairs/s
// at both sizes and the consumer's time per pair to read each sample's arrays. Prints one JSON object.
//   npx tsx scripts/bench-gen.ts [--rooms N] [--pairs-per-room N] [--workers N] [--live]
import { scriptArgs } from './scriptArgs.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DEFAULT_ASSET_CACHE_DIR,
  DEFAULT_GENERATE_CONFIG,
  generateDataset,
  generateEmbeddedAssets,
} from '@oxels/scene-gen';
import { livePairs } from '@oxels/scene-gen/live';

const values = scriptArgs(import.meta.filename, {
  rooms: { type: 'string', default: '4' },
  'pairs-per-room': { type: 'string', default: '10' },
  workers: { type: 'string', default: String(availableParallelism()) },
  live: { type: 'boolean', default: false },
});

const SIZES = [
  [256, 256],
  [640, 480],
] as const;
const round = (x: number) => +x.toFixed(1);
const results: Record<string, unknown> = {};
if (values.live) {
  for (const [width, height] of SIZES) results[`live_${width}x${height}`] = await benchLive(width, height);
} else {
  await benchGenScenes();
}
console.log(
  JSON.stringify(
    {
      workers: Number(values.workers),
      cores: availableParallelism(),
      rooms: Number(values.rooms),
      pairs_per_room: Number(values['pairs-per-room']),
      note: 'pairs_per_s: whole run, starting the worker processes included; steady: after the first pair; both include loading each room',
      target: 'at least 10 pairs/s at 256x256 on the 2-core machine',
      ...results,
    },
    null,
    2,
  ),
);

/**
 * rooms x pairs-per-room pairs of the live stream, as a training run's batch worker takes them (the same
 * prefetch, and every array read, as sampling does, so that anything decoded on first read is timed).
 */
async function benchLive(width: number, height: number) {
  const config = {
    ...DEFAULT_GENERATE_CONFIG,
    rooms: Number(values.rooms),
    pairsPerRoom: Number(values['pairs-per-room']),
    width,
    height,
  };
  const total = config.rooms * config.pairsPerRoom;
  const options = { workers: Number(values.workers), assetCache: DEFAULT_ASSET_CACHE_DIR, prefetch: 4 };
  const started = performance.now();
  let [first, last, pairs, readMs, bytes] = [0, 0, 0, 0, 0];
  for await (const sample of livePairs(config, options)) {
    const t = performance.now();
    first ||= t;
    for (const array of [sample.rgbA, sample.rgbB, sample.aIndex, sample.bXY, sample.status])
      bytes += array.byteLength;
    last = performance.now();
    readMs += last - t;
    if (++pairs === total) break;
  }
  return {
    pairs,
    pairs_per_s: +(pairs / ((last - started) / 1000)).toFixed(2),
    steady_pairs_per_s: +((pairs - 1) / ((last - first) / 1000)).toFixed(2),
    ms_per_pair_reading_arrays: +(readMs / pairs).toFixed(2),
    kb_per_pair: Math.round(bytes / pairs / 1024),
  };
}

/** gen-scenes at both sizes, and the embedded assets' generation once. */
async function benchGenScenes() {
  const assetsDir = mkdtempSync(join(tmpdir(), 'bench-assets-'));
  try {
    const t0 = performance.now();
    await generateEmbeddedAssets(assetsDir);
    results.embedded_assets_seconds = +((performance.now() - t0) / 1000).toFixed(1);
  } finally {
    rmSync(assetsDir, { recursive: true, force: true });
  }
  for (const [width, height] of SIZES) {
    const out = mkdtempSync(join(tmpdir(), 'bench-gen-'));
    try {
      let first = 0;
      let last = 0;
      let firstDone = 0;
      let lastDone = 0;
      const summary = await generateDataset(
        {
          ...DEFAULT_GENERATE_CONFIG,
          rooms: Number(values.rooms),
          pairsPerRoom: Number(values['pairs-per-room']),
          width,
          height,
        },
        {
          out,
          workers: Number(values.workers),
          shardIndex: 0,
          numShards: 1,
          assetCache: DEFAULT_ASSET_CACHE_DIR,
        },
        {
          onProgress: (p) => {
            last = performance.now();
            lastDone = p.done;
            if (!first) [first, firstDone] = [last, p.done];
          },
        },
      );
      results[`${width}x${height}`] = {
        pairs: summary.pairs,
        seconds: round(summary.seconds),
        pairs_per_s: +summary.pairsPerSecond.toFixed(2),
        // From the first pair's arrival to the last: without starting the workers (Dawn, objects, shaders).
        steady_pairs_per_s: +((lastDone - firstDone) / ((last - first) / 1000)).toFixed(2),
        ms_per_pair_worker_time: Object.fromEntries(
          Object.entries(summary.timings).map(([k, v]) => [k, round(v)]),
        ),
        match_fraction: +summary.manifest.totals.matchFraction.toFixed(3),
      };
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }
}
