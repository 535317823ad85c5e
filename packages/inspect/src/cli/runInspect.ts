import { join, resolve } from 'node:path';
import { writeRgbPng } from '@oxels/image';
import { Command } from 'commander';
import { DEFAULT_INSPECT_COUNT } from '../constants.ts';
import { DatasetIndex } from '../io/DatasetIndex.ts';
import { DEFAULT_OVERLAY_OPTIONS, drawCorrespondenceOverlay } from '../pictures/drawCorrespondenceOverlay.ts';
import { type CliIO, captureCommander, EXIT, intArg, runCli } from './cliUtils.ts';

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

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
 * correspondence overlay PNG per chosen pair (`drawCorrespondenceOverlay`) into --out. Returns the exit
 * code (0 done, 1 data or I/O error, 2 bad command line); prints to `io`, never exits the process.
 */
export function runInspect(argv: string[], io: CliIO): Promise<number> {
  const program = captureCommander(
    new Command('inspect')
      .description(
        'Correspondence overlays of view pairs: both views, match lines, occlusion marks, statistics.',
      )
      .argument('<data>', 'dataset directory (the --out of gen-scenes)')
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
      .option('--seed <n>', 'seed of the drawn subsample', intArg('--seed', 0), DEFAULT_OVERLAY_OPTIONS.seed),
    io,
  );
  return runCli(io, async () => {
    program.parse(argv, { from: 'user' });
    const [data] = program.processedArgs as [string];
    const o = program.opts<{ pair: string[]; out?: string; count: number; matches: number; seed: number }>();
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
