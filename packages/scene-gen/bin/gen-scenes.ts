#!/usr/bin/env -S npx tsx
// gen-scenes: objects in rooms, rendered view pairs, correspondence maps, dataset shards.
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { barWithMessages, intFlag, numberFlag, progressBar, sizeFlag, withFlags } from '@oxels/core';
import {
  DEFAULT_ASSET_CACHE_DIR,
  DEFAULT_GENERATE_CONFIG,
  type GenerateConfig,
  generateDataset,
  SceneGenError,
} from '@oxels/scene-gen';

/** Options the library names whose flag is spelt otherwise (the rest: `--` + kebab case). */
const FLAGS = { fovY: '--fov' };

const d = DEFAULT_GENERATE_CONFIG;
const program = new Command('gen-scenes')
  .description(
    'Place objects in rooms, render view pairs headlessly, ray-cast correspondence maps, write WebDataset shards.',
  )
  .option('--rooms <n>', 'number of rooms', intFlag('--rooms', 1), d.rooms)
  .option('--pairs-per-room <n>', 'view pairs per room', intFlag('--pairs-per-room', 1), d.pairsPerRoom)
  .option('--size <WxH>', "image size (640x480 is the paper's)", sizeFlag, [d.width, d.height] as [
    number,
    number,
  ])
  .option('--fov <deg>', 'vertical field of view in degrees', numberFlag('--fov'), d.fovY)
  .option('--out <dir>', 'output directory', 'data/scenes')
  .option(
    '--seed <s>',
    'random seed: same seed and flags give byte-identical shards',
    intFlag('--seed', 0),
    d.seed,
  )
  .option(
    '--workers <n>',
    'worker processes (one renderer each)',
    intFlag('--workers', 1),
    availableParallelism(),
  )
  .option('--scenenn <dir>', 'SceneNN root (<id>/<id>.ply + .xml); default: the embedded procedural rooms')
  .option(
    '--shapenet <dir>',
    'ShapeNetCore v2 root (taxonomy.json, <synset>/<model>/models/); default: embedded objects',
  )
  .option('--depth', 'also write z-depth maps (.depth.npy)', false)
  .option('--instances', 'also write instance-id maps (.inst.png)', false)
  .option('--shard-size <n>', 'pairs per shard', intFlag('--shard-size', 1), d.shardSize)
  .option(
    '--shard-index <i>',
    'this machine writes shards s with s % num-shards == i',
    intFlag('--shard-index', 0),
    0,
  )
  .option(
    '--num-shards <n>',
    'machines the dataset is split across (e.g. a cluster array job)',
    intFlag('--num-shards', 1),
    1,
  )
  .option(
    '--force',
    'delete the dataset gen-scenes wrote in --out (shards, manifests, generate-config.json) and generate afresh; without it, a rerun resumes only a dataset of the same config',
    false,
  )
  .option('--asset-cache <dir>', 'where the embedded default assets are generated', DEFAULT_ASSET_CACHE_DIR)
  .addOption(new Option('--quiet', 'no progress bar').default(false))
  .showHelpAfterError()
  .allowExcessArguments(false);

program.parse();
const o = program.opts();

const config: GenerateConfig = {
  ...d,
  rooms: o.rooms,
  pairsPerRoom: o.pairsPerRoom,
  width: o.size[0],
  height: o.size[1],
  fovY: o.fov,
  seed: o.seed,
  shardSize: o.shardSize,
  scenenn: o.scenenn ? resolve(o.scenenn) : null,
  shapenet: o.shapenet ? resolve(o.shapenet) : null,
  depth: o.depth,
  instances: o.instances,
};

const bar = progressBar('gen-scenes |{bar}| {value}/{total} pairs | {rate} pairs/s | ETA {eta_formatted}', {
  logEveryMs: 10_000,
  etaBuffer: 50,
});
const progress = barWithMessages(bar, (line) => console.error(line));

try {
  const summary = await generateDataset(
    config,
    {
      out: resolve(o.out),
      workers: o.workers,
      shardIndex: o.shardIndex,
      numShards: o.numShards,
      assetCache: resolve(o.assetCache),
      force: o.force,
    },
    {
      onLog: (m) => progress.message(`gen-scenes: ${withFlags(m, FLAGS)}`),
      onWarning: (m) => progress.message(`gen-scenes: warning: ${withFlags(m, FLAGS)}`),
      onProgress: (p) => {
        if (!o.quiet) progress.update(p.done, p.total, { rate: p.pairsPerSecond.toFixed(2) });
      },
    },
  );
  progress.stop();
  const t = summary.manifest.totals;
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  const ms = (x: number) => `${x.toFixed(0)} ms`;
  console.log(
    [
      `gen-scenes: ${summary.pairs} pairs in ${summary.seconds.toFixed(1)} s (${summary.pairsPerSecond.toFixed(2)} pairs/s), ` +
        `${summary.shardsWritten} shards written, ${summary.shardsResumed} resumed -> ${summary.out}`,
      `  dataset: ${t.pairs} pairs in ${t.shards} shards; sampled pixels: match ${pct(t.matchFraction)}, occluded ${pct(t.occludedFraction)}, ` +
        `out of view ${pct(t.outOfViewFraction)}, miss ${pct(t.missFraction)}`,
      summary.pairs
        ? `  per pair: compose ${ms(summary.timings.compose)}, render ${ms(summary.timings.render)}, correspondences ` +
          `${ms(summary.timings.correspondences)}, encode ${ms(summary.timings.encode)}, write ${ms(summary.timings.write)} (worker time)`
        : '  nothing to generate: every shard was already complete',
      `  manifest: ${summary.manifestPath}`,
    ].join('\n'),
  );
} catch (err) {
  const message = err instanceof SceneGenError || err instanceof Error ? err.message : String(err);
  // The library's messages name their origin (gen-scenes: ...); the error line names it already.
  progress.message(`gen-scenes: error: ${withFlags(message, FLAGS).replace(/^gen-scenes: /, '')}`);
  process.exitCode = 1;
}
