import { join, resolve } from 'node:path';
import { DatasetIndex } from '@oxels/dataset';
import { writeRgbPng } from '@oxels/image';
import { BACKEND_NAMES, LOSS_NORMS } from '@oxels/trainer';
import { Command, InvalidArgumentError, Option } from 'commander';
import { DEFAULT_INSPECT_COUNT } from '../constants.ts';
import { InspectError } from '../errors.ts';
import { DEFAULT_OVERLAY_OPTIONS, drawCorrespondenceOverlay } from '../pictures/drawCorrespondenceOverlay.ts';
import { type CliIO, captureCommander, EXIT } from '@oxels/core';
import { intArg, runCli } from './cliUtils.ts';
import { type InspectRunFlags, inspectRun } from './inspectRun.ts';

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

/** Parses a channel list like `0,3,5-7` into [0, 3, 5, 6, 7]. */
function channelList(value: string): number[] {
  const channels: number[] = [];
  for (const part of value.split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!m || (m[2] !== undefined && Number(m[2]) < Number(m[1]))) {
      throw new InvalidArgumentError(`--channels takes a list like 0,3,5-7 (got "${value}")`);
    }
    for (let k = Number(m[1]); k <= Number(m[2] ?? m[1]); k++) channels.push(k);
  }
  return channels;
}

/** Prints what a dataset holds: from its manifest, or counted from the shard index without one. */
function describeDataset(index: DatasetIndex, io: CliIO): void {
  const m = index.manifest;
  const shards = new Set(index.pairs.map((p) => p.shard)).size;
  io.out(`dataset ${index.dir}: ${index.pairs.length} pairs in ${shards} shard${shards === 1 ? '' : 's'}\n`);
  if (!m) {
    io.out('  no manifest.json (a run still in progress, or a partial copy): no totals\n');
    return;
  }
  const t = m.totals;
  io.out(
    `  manifest: ${m.generator.name} ${m.generator.version}, seed ${m.seed}, ${t.shards} of ${m.shardCount} shards, ${t.pairs} pairs\n`,
  );
  io.out(
    `  ${t.sampled} sampled pixels: match ${pct(t.matchFraction)}, occluded ${pct(t.occludedFraction)}, out of view ${pct(t.outOfViewFraction)}, miss ${pct(t.missFraction)}\n`,
  );
}

/**
 * `pnpm inspect DATA [--pair KEY]... [--out DIR] [--count N]`: prints the dataset's totals and writes a
 * correspondence overlay PNG per chosen pair (`drawCorrespondenceOverlay`) into --out.
 * `pnpm inspect --run RUN [--pair KEY | --image FILE] [--data DIR]`: descriptor pictures of a trained run
 * instead (see `inspectRun`). Returns the exit code (0 done, 1 data or I/O error, 2 bad command line);
 * prints to `io`, never exits the process.
 */
export function runInspect(argv: string[], io: CliIO): Promise<number> {
  const program = captureCommander(
    new Command('inspect')
      .description(
        'Correspondence overlays of view pairs: both views, match lines, occlusion marks, statistics. ' +
          "With --run: the run's descriptors (PCA, sign maps, distance heatmaps).",
      )
      .argument('[data]', 'dataset directory (the --out of gen-scenes)')
      .option(
        '--pair <key>',
        'pair to draw, e.g. r000-p000001 (repeatable; default: the first --count pairs)',
        (v, acc: string[]) => [...acc, v],
        [],
      )
      .option('--out <dir>', 'where to write the PNGs (default: DATA/inspect)')
      .option(
        '--count <n>',
        'how many pairs to draw when no --pair is given',
        intArg('--count', 1),
        DEFAULT_INSPECT_COUNT,
      )
      .option(
        '--matches <n>',
        'match lines per overlay',
        intArg('--matches', 0),
        DEFAULT_OVERLAY_OPTIONS.matches,
      )
      .option('--seed <n>', 'seed of the drawn subsample', intArg('--seed', 0), DEFAULT_OVERLAY_OPTIONS.seed)
      .option(
        '--run <dir>',
        'training run: draw its descriptors instead of overlays (default --out RUN/inspect)',
      )
      .option(
        '--step <n>',
        "with --run: the run's checkpoint after N steps (default: the latest)",
        intArg('--step', 1),
      )
      .option('--data <dir>', "with --run: dataset of view pairs (default: the run's training shards)")
      .option(
        '--image <file>',
        'with --run: a PNG/JPEG image, drawn with a random perspective warp of itself',
      )
      .option('--queries <n>', 'with --run: query pixels in the heatmap picture', intArg('--queries', 1), 4)
      .option(
        '--channels <list>',
        'with --run: sign-map channels, e.g. 0-7 or 0,4,9 (default: 0-7)',
        channelList,
      )
      .addOption(
        new Option('--norm <norm>', "with --run: heatmap distance (default: the run's)").choices([
          ...LOSS_NORMS,
        ]),
      )
      .option(
        '--scale <n>',
        'with --run: picture upscaling (default: about 256 px per view)',
        intArg('--scale', 1),
      )
      .addOption(
        new Option('--backend <name>', 'with --run: tensor backend')
          .choices([...BACKEND_NAMES])
          .default('auto'),
      ),
    io,
  );
  return runCli('inspect', io, async () => {
    program.parse(argv, { from: 'user' });
    const [positional] = program.processedArgs as [string | undefined];
    const o = program.opts<Omit<InspectRunFlags, 'run'> & { run?: string; matches: number; data?: string }>();
    if (o.run) {
      if (positional && o.data) {
        throw new InspectError('BAD_ARGUMENT', 'inspect: give the dataset once (DATA or --data, not both)');
      }
      return inspectRun({ ...o, run: o.run, data: o.data ?? positional }, io);
    }
    const data = positional ?? o.data;
    if (!data) {
      throw new InspectError('BAD_ARGUMENT', 'inspect: give a dataset directory DATA (or --run RUN)');
    }
    const index = await DatasetIndex.open(resolve(data));
    describeDataset(index, io);
    // Look every key up first, so that a typo fails before anything is written.
    const keys = o.pair.length
      ? o.pair.map((k) => index.pair(k).key)
      : index.pairs.slice(0, o.count).map((p) => p.key);
    const out = resolve(o.out ?? join(data, 'inspect'));
    for (const key of keys) {
      const sample = await index.sample(key);
      const { image, drawn } = drawCorrespondenceOverlay(sample, { matches: o.matches, seed: o.seed });
      const path = join(out, `${key}.overlay.png`);
      await writeRgbPng(path, image);
      const s = sample.meta.stats;
      io.out(
        `wrote ${path} (${image.width}x${image.height}; ${drawn.match.length} of ${s.match} matches drawn, match fraction ${pct(s.matchFraction)})\n`,
      );
    }
    return EXIT.ok;
  });
}
