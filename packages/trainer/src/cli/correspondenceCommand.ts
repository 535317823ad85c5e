import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { encodeNpy, readDataset, readManifest } from '@oxels/dataset';
import { countFlag, intFlag, OxelsError, withFlags } from '@oxels/core';
import { Command, Option } from 'commander';
import { initBackend } from '../backend/initBackend.ts';
import { datasetShards } from '../data/viewPairs/datasetShards.ts';
import { BACKEND_NAMES, type BackendName, LOSS_NORMS, type LossNorm } from '../constants.ts';
import { UNet } from '../model/UNet.ts';
import { loadRun } from '../run/loadRun.ts';
import { modelConfig } from '../run/runTraining.ts';
import {
  type CorrespondenceReport,
  correspondenceMarkdown,
} from '../eval/correspondence/correspondenceReport.ts';
import {
  type DescriptorMethod,
  modelDescriptors,
  RGB_METHOD,
  RGB_PATCH_METHOD,
} from '../eval/correspondence/descriptorMaps.ts';
import {
  type CorrespondenceEvalOptions,
  DEFAULT_CORRESPONDENCE_EVAL_OPTIONS,
  evaluateCorrespondence,
} from '../eval/correspondence/evaluateCorrespondence.ts';

interface CorrespondenceFlags {
  run: string;
  data: string;
  pairs: number;
  queries: number;
  seed: number;
  initSeed?: number;
  step?: number;
  norm?: LossNorm;
  backend: BackendName;
  threads: number;
  out?: string;
  saveDescriptors?: string;
  quiet: boolean;
  allowPartial: boolean;
}

/** A network's descriptors as a benchmark method (both views in one forward pass). */
function networkMethod(name: string, description: string, model: UNet): DescriptorMethod {
  return {
    name,
    description,
    describe: async (s) => modelDescriptors(model, s.rgbA, s.rgbB, s.meta.width, s.meta.height),
  };
}

async function run(o: CorrespondenceFlags): Promise<void> {
  const log = (line: string) => {
    if (!o.quiet) process.stderr.write(`eval correspondence: ${withFlags(line)}\n`);
  };
  const runDir = resolve(o.run);
  const dataDir = resolve(o.data);
  const shards = await datasetShards(dataDir, {
    allowPartial: o.allowPartial,
    onLog: log,
    onWarning: (line) => process.stderr.write(`eval correspondence: warning: ${withFlags(line)}\n`),
  });
  const backend = await initBackend(o.backend, { threads: o.threads });
  const trained = loadRun(runDir, o.step);
  const { config } = trained;
  const initSeed = o.initSeed ?? config.seed;
  const random = new UNet(modelConfig(config), initSeed);
  const norm = o.norm ?? config.norm;
  const trainData = config.source.kind === 'shards' ? config.source.dir : null;
  const trainSeed = trainData ? (readManifest(trainData)?.seed ?? null) : null;
  const dataSeed = readManifest(dataDir)?.seed ?? null;
  if (
    trainData !== null &&
    (resolve(trainData) === dataDir || (dataSeed !== null && dataSeed === trainSeed))
  ) {
    process.stderr.write(
      `eval correspondence: warning: ${dataDir} looks like the training data (seed ${dataSeed}); ` +
        'generate held-out pairs with another --seed\n',
    );
  }
  log(`backend ${backend.backend} (${backend.device}); run ${runDir} at step ${trained.step}, norm ${norm}`);
  const methods = [
    networkMethod('trained', `${runDir} at step ${trained.step} (${config.model} U-Net)`, trained.model),
    RGB_METHOD,
    RGB_PATCH_METHOD,
    networkMethod(
      'random-init',
      `the run's architecture with random initial weights (seed ${initSeed}${initSeed === config.seed ? ": the run's own starting point" : ''})`,
      random,
    ),
  ];
  try {
    const evaluation = await evaluateCorrespondence(readDataset(shards), methods, {
      norm,
      maxQueries: o.queries,
      maxPairs: o.pairs,
      seed: o.seed,
      onPair: ({ index, key, queries }) => log(`pair ${index + 1} ${key}: ${queries} queries`),
      ...(o.saveDescriptors && { onDescribed: saveDescriptors(resolve(o.saveDescriptors)) }),
    });
    const report: CorrespondenceReport = {
      benchmark: 'correspondence',
      run: {
        dir: runDir,
        step: trained.step,
        model: config.model,
        outChannels: config.outChannels,
        norm: config.norm,
        trainData,
        trainSeed,
      },
      data: { dir: dataDir, seed: dataSeed },
      norm,
      queriesPerPair: Number.isFinite(o.queries) ? o.queries : null,
      querySeed: o.seed,
      initSeed,
      thresholds: [...DEFAULT_CORRESPONDENCE_EVAL_OPTIONS.thresholds],
      backend: `${backend.backend} (${backend.device})`,
      ...evaluation,
    };
    const name = o.step === undefined ? 'correspondence' : `correspondence-step-${o.step}`;
    const jsonPath = resolve(o.out ?? join(runDir, 'eval', `${name}.json`));
    const mdPath = `${jsonPath.replace(/\.json$/, '')}.md`;
    const markdown = correspondenceMarkdown(report);
    mkdirSync(dirname(jsonPath), { recursive: true });
    // JSON has no NaN: an empty benchmark's statistics are written as null.
    writeFileSync(jsonPath, `${JSON.stringify(report, (_, v) => (Number.isNaN(v) ? null : v), 2)}\n`);
    writeFileSync(mdPath, markdown);
    process.stdout.write(markdown);
    const times = evaluation.rows
      .map(
        (r) =>
          `${r.name} ${r.describeSeconds.toFixed(1)} s describe + ${r.searchSeconds.toFixed(1)} s search`,
      )
      .join(', ');
    log(`${times}\nwrote ${jsonPath} and ${mdPath}`);
  } finally {
    trained.model.dispose();
    random.dispose();
  }
}

/**
 * Writes DIR/KEY.METHOD.{a,b}.npy (float32 [H, W, C] descriptor maps) and DIR/KEY.queries.{a_index,b_xy}.npy
 * (int32 [M], float32 [M, 2]): everything the pair's errors are computed from.
 */
function saveDescriptors(dir: string): NonNullable<CorrespondenceEvalOptions['onDescribed']> {
  mkdirSync(dir, { recursive: true });
  return ({ key, method, a, b, matches }) => {
    for (const [view, map] of [
      ['a', a],
      ['b', b],
    ] as const) {
      writeFileSync(
        join(dir, `${key}.${method}.${view}.npy`),
        encodeNpy(map.data, [map.height, map.width, map.channels]),
      );
    }
    writeFileSync(
      join(dir, `${key}.queries.a_index.npy`),
      encodeNpy(matches.aIndex, [matches.aIndex.length]),
    );
    writeFileSync(join(dir, `${key}.queries.b_xy.npy`), encodeNpy(matches.bXY, [matches.aIndex.length, 2]));
  };
}

/**
 * `eval correspondence --run RUN --data DIR [--step N] [--pairs N] [--queries N] [--seed S]
 * [--init-seed S] [--norm inf|l1|l2] [--out FILE]`: the correspondence benchmark
 * (docs/architecture.md#evaluation) of a trained run (its latest checkpoint, or the one after N steps) on
 * held-out view pairs (generate them with another gen-scenes --seed than the training data), next to
 * three baselines: raw RGB, raw RGB
 * patches and the run's architecture randomly initialised. Prints the markdown table, writes FILE (JSON,
 * default RUN/eval/correspondence.json, with --step correspondence-step-N.json) and the markdown beside
 * it (.md). On a data or run error prints it and sets exit code 1.
 */
export function correspondenceCommand(): Command {
  const d = DEFAULT_CORRESPONDENCE_EVAL_OPTIONS;
  return new Command('correspondence')
    .description(
      'Nearest-neighbour correspondence benchmark on held-out view pairs: median pixel error and PCK at 1, 2, 4, 8, 16 px, ' +
        'for the run and three baselines (raw RGB, raw RGB 5x5 patches, random initialisation).',
    )
    .requiredOption('--run <dir>', 'training run directory (the --out of pnpm train)')
    .requiredOption('--data <dir>', 'held-out gen-scenes dataset (use another --seed than the training data)')
    .option(
      '--step <n>',
      "the run's checkpoint after N steps (default: the latest; train keeps the last 3 and every --keep-every)",
      intFlag('--step', 1),
    )
    .addOption(
      new Option('--pairs <n|all>', 'evaluate the first N pairs')
        .argParser(countFlag('--pairs', Number.POSITIVE_INFINITY))
        .default(Number.POSITIVE_INFINITY, 'all'),
    )
    .option(
      '--queries <n|all>',
      'MATCH samples queried per pair (seeded subsample)',
      countFlag('--queries', Number.POSITIVE_INFINITY),
      d.maxQueries,
    )
    .option('--seed <n>', 'seed of the query subsample', intFlag('--seed', 0), d.seed)
    .option(
      '--init-seed <n>',
      "seed of the random-init baseline (default: the run's seed)",
      intFlag('--init-seed', 0),
    )
    .addOption(
      new Option('--norm <norm>', "distance of the search (default: the run's training norm)").choices([
        ...LOSS_NORMS,
      ]),
    )
    .addOption(new Option('--backend <name>', 'tensor backend').choices([...BACKEND_NAMES]).default('auto'))
    .option('--threads <n>', 'wasm threads (0 = one per core)', intFlag('--threads', 0), 0)
    .option('--out <file>', 'JSON report (markdown beside it, .md); default RUN/eval/correspondence.json')
    .option(
      '--save-descriptors <dir>',
      "also write each pair's descriptor maps and queries as .npy, to check or reuse the numbers elsewhere",
    )
    .option(
      '--allow-partial',
      'evaluate on the valid shards of an incomplete --data set instead of refusing it',
      false,
    )
    .option('--quiet', 'no progress lines', false)
    .action(async (flags: CorrespondenceFlags) => {
      try {
        await run(flags);
      } catch (err) {
        if (!(err instanceof OxelsError)) throw err;
        process.stderr.write(`eval correspondence: error: ${withFlags(err.message)}\n`);
        process.exitCode = 1;
      }
    });
}
