// Benchmark of gen-scenes on the embedded default assets: pairs/s at 256x256 and at 640x480, with the
// worker time per pair split into compose (room load + placement, cameras, scene), render,
// correspondences, encode and write; and the time to generate the embedded assets themselves (76 rooms,
// the objects) once. Prints one JSON object.
//   npx tsx scripts/bench-gen.ts [--rooms N] [--pairs-per-room N] [--workers N]
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

const values = scriptArgs(import.meta.filename, {
  rooms: { type: 'string', default: '4' },
  'pairs-per-room': { type: 'string', default: '10' },
  workers: { type: 'string', default: String(availableParallelism()) },
});

const results: Record<string, unknown> = {};
const assetsDir = mkdtempSync(join(tmpdir(), 'bench-assets-'));
try {
  const t0 = performance.now();
  await generateEmbeddedAssets(assetsDir);
  results.embedded_assets_seconds = +((performance.now() - t0) / 1000).toFixed(1);
} finally {
  rmSync(assetsDir, { recursive: true, force: true });
}
for (const [width, height] of [
  [256, 256],
  [640, 480],
] as const) {
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
    const round = (x: number) => +x.toFixed(1);
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
