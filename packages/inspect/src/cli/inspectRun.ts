import { readFileSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import { writeRgbPng } from '@oxels/image';
import { createRng } from '@oxels/core';
import { DatasetIndex } from '@oxels/dataset';
import {
  type BackendName,
  decodeImage,
  imageAt,
  initBackend,
  type LoadedRun,
  loadColoredMnist,
  loadRun,
} from '@oxels/trainer';
import { InspectError } from '../errors.ts';
import type { DescriptorNorm } from '../pictures/distanceHeatmap.ts';
import { type HeatmapQuery, matchHeatmaps } from '../pictures/matchHeatmaps.ts';
import { pcaPairPicture } from '../pictures/pcaPairPicture.ts';
import { signMaps } from '../pictures/signMaps.ts';
import { spreadSample } from '../pictures/spreadSample.ts';
import { type InspectPair, samplePair, warpedPair } from '../pictures/InspectPair.ts';
import { describeViews } from '../viewer/runDescriptors.ts';
import type { CliIO } from '@oxels/core';

/** The flags of `pnpm inspect --run RUN ...` (see runInspect). */
export interface InspectRunFlags {
  run: string;
  /** The run's checkpoint after this many steps; default the latest. */
  step?: number;
  /** Dataset of view pairs; default: the run's training shards. */
  data?: string;
  pair: string[];
  /** An image file: it and a random perspective warp of it. */
  image?: string;
  out?: string;
  /** Pairs (or Colored MNIST test digits) when no --pair is given. */
  count: number;
  /** Query pixels per heatmap picture. */
  queries: number;
  /** Channels of the sign maps; default the first 8. */
  channels?: number[];
  /** Default: the run's training norm. */
  norm?: DescriptorNorm;
  /** Integer upscaling; default about 256 px per view. */
  scale?: number;
  seed: number;
  backend: BackendName;
}

/** The pairs to draw: an image and its warp, dataset pairs, or Colored MNIST test digits and their warps. */
async function choosePairs(run: LoadedRun, o: InspectRunFlags): Promise<InspectPair[]> {
  const rng = createRng(o.seed);
  if (o.image) {
    const path = resolve(o.image);
    const image = decodeImage(readFileSync(path), path);
    return [warpedPair(basename(path, extname(path)), image, rng)];
  }
  const source = run.config.source;
  const data = o.data ?? (source.kind === 'shards' ? source.dir : undefined);
  if (data) {
    const index = await DatasetIndex.open(resolve(data));
    // Look every key up first, so that a typo fails before anything is computed.
    const keys = o.pair.length
      ? o.pair.map((k) => index.pair(k).key)
      : index.pairs.slice(0, o.count).map((p) => p.key);
    return Promise.all(keys.map(async (key) => samplePair(await index.sample(key))));
  }
  if (source.kind === 'colored-mnist') {
    const { test } = await loadColoredMnist(source.mnistDir ? { dir: source.mnistDir } : {});
    return Array.from({ length: Math.min(o.count, test.count) }, (_, i) =>
      warpedPair(`digit-${String(i).padStart(4, '0')}`, imageAt(test, i), rng),
    );
  }
  throw new InspectError(
    'BAD_ARGUMENT',
    `inspect: run ${run.runDir} trained on ${source.kind}; give --data DIR (view pairs) or --image FILE`,
  );
}

/**
 * `pnpm inspect --run RUN [--step N] [--pair KEY | --image FILE] [--data DIR]`: descriptor pictures of a
 * trained run (its latest checkpoint, or the one after N steps) for each chosen pair, written to --out
 * (default RUN/inspect): `NAME.pca.png` (PCA of both views' descriptors as RGB, one basis),
 * `NAME.signs-a.png` / `NAME.signs-b.png` (sign maps of chosen channels) and `NAME.heatmaps.png` (for a
 * few spread-out MATCH pixels of A: distance heatmap over B with the best and the true match). Pairs come from --image (the image and a random warp of it), a dataset
 * (--data, else the run's training shards) or, for a Colored MNIST run, a few test digits and their warps.
 */
export async function inspectRun(o: InspectRunFlags, io: CliIO): Promise<number> {
  const backend = await initBackend(o.backend);
  const run = loadRun(resolve(o.run), o.step);
  try {
    const c = run.config.outChannels;
    const channels = o.channels ?? Array.from({ length: Math.min(8, c) }, (_, k) => k);
    for (const k of channels) {
      if (k >= c) {
        throw new InspectError('BAD_ARGUMENT', `inspect: --channels ${k} is not in the run's 0..${c - 1}`);
      }
    }
    const norm = o.norm ?? run.config.norm;
    io.out(
      `run ${run.runDir}: step ${run.step}, ${run.config.model} U-Net, ${c} channels, norm ${norm}; backend ${backend.backend}\n`,
    );
    const pairs = await choosePairs(run, o);
    const out = resolve(o.out ?? join(run.runDir, 'inspect'));
    for (const pair of pairs) {
      const { viewA, viewB, name } = pair;
      const maps = describeViews(run, viewA, viewB);
      const scale = o.scale ?? Math.max(1, Math.floor(256 / Math.max(viewA.width, viewA.height)));
      const written: string[] = [];
      const write = async (suffix: string, image: Parameters<typeof writeRgbPng>[1]) => {
        const path = join(out, `${name}.${suffix}.png`);
        await writeRgbPng(path, image);
        written.push(path);
      };
      await write('pca', pcaPairPicture(maps.a, maps.b, { scale }).image);
      await write('signs-a', signMaps(maps.a, channels, { scale }));
      await write('signs-b', signMaps(maps.b, channels, { scale }));
      let summary = 'no known match, no heatmaps';
      if (pair.aIndex.length > 0) {
        const w = viewA.width;
        const xs = Float32Array.from(pair.aIndex, (i) => i % w);
        const ys = Float32Array.from(pair.aIndex, (i) => Math.floor(i / w));
        const picked = spreadSample(
          xs,
          ys,
          Int32Array.from(xs, (_, m) => m),
          o.queries,
          createRng(o.seed),
        );
        const queries: HeatmapQuery[] = picked.map((m) => ({
          x: xs[m],
          y: ys[m],
          trueMatch: { u: pair.bXY[2 * m], v: pair.bXY[2 * m + 1] },
        }));
        const { image, rows } = matchHeatmaps(viewA, viewB, maps.a, maps.b, queries, { norm, scale });
        await write('heatmaps', image);
        summary = `query errors ${rows.map((r) => `${r.error.toFixed(1)}`).join(', ')} px`;
      }
      io.out(`${name}: ${summary}\n${written.map((p) => `  wrote ${p}\n`).join('')}`);
    }
    return 0;
  } finally {
    run.model.dispose();
  }
}
