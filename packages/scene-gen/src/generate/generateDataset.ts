import { accessSync, constants, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { CorrespondenceStats } from '@oxels/raycast';
import { SceneGenError } from '../errors.ts';
import { FileWriteError, systemErrorText, writeJsonAtomic, optionName } from '@oxels/core';
import {
  datasetFiles,
  GENERATE_CONFIG_FILE,
  isShardFile,
  MANIFEST_FILE,
  removeDatasetFiles,
  staleTemporaries,
  readDatasetRecords,
  writeConfigRecord,
  type DatasetManifest,
  type StatusCounts,
  addCounts,
  buildManifest,
  emptyCounts,
  manifestPartName,
  mergeManifestParts,
  shardName,
  ShardWriter,
} from '@oxels/dataset';
import { checkResume } from './checkResume.ts';
import { type GenerateConfig, type RunOptions, validateGenerateConfig } from './GenerateConfig.ts';
import type { PairTimings } from './generatePair.ts';
import { keptShards } from './keptShards.ts';
import { PairWorkerPool } from './PairWorkerPool.ts';
import { resolveAssets } from './resolveAssets.ts';
import type { WorkerReply, WorkerRequest, WorkerSetup } from './pairWorker.ts';

/** Progress of a run, after each pair. */
export interface GenerateProgress {
  /** Pairs generated in this run, and to generate in this run (resumed shards excluded). */
  done: number;
  total: number;
  pairsPerSecond: number;
  etaSeconds: number;
}

/** Hooks of `generateDataset` (the library never prints). */
export interface GenerateHooks {
  onProgress?: (progress: GenerateProgress) => void;
  onWarning?: (message: string) => void;
  /** One-line notes about what the run is doing (assets, resume, workers). */
  onLog?: (message: string) => void;
}

/** What a run did. */
export interface GenerateSummary {
  out: string;
  /** Shards of this machine: written now, and found complete from an earlier run. */
  shardsWritten: number;
  shardsResumed: number;
  pairs: number;
  seconds: number;
  pairsPerSecond: number;
  /** Mean milliseconds per pair in each stage (worker time, summed over workers). */
  timings: PairTimings & { write: number };
  counts: StatusCounts;
  /** The manifest, when this run completed the dataset (or its part). */
  manifest: DatasetManifest;
  manifestPath: string;
}

const GENERATOR = { name: '@oxels/scene-gen', version: packageVersion() };

/**
 * Generates the dataset described by `config` into `run.out`: the shards s with
 * s % numShards === shardIndex, each holding `shardSize` consecutive pairs (pair i is pair i %
 * pairsPerRoom of room floor(i / pairsPerRoom)). Complete shards from an earlier run of the same
 * config are kept (resume; see keptShards for what "complete" means); a directory holding a dataset of
 * another config is refused with SceneGenError('CONFIG_MISMATCH') unless `run.force`. Pairs are generated
 * on `run.workers` worker processes and written in order, so the bytes do not depend on the number of
 * workers or machines. A failed write (a full disk) throws a FileWriteError naming the file, after
 * removing its temporary; the complete shards stay, and the same call resumes.
 */
export async function generateDataset(
  config: GenerateConfig,
  run: RunOptions,
  hooks: GenerateHooks = {},
): Promise<GenerateSummary> {
  validateGenerateConfig(config, run);
  const log = hooks.onLog ?? (() => {});
  const warn = hooks.onWarning ?? (() => {});
  const identity = { generator: GENERATOR, config: { ...config } };
  if (run.force) {
    const removed = removeDatasetFiles(run.out);
    if (removed.length)
      log(`${optionName('force')}: deleted the ${removed.length} files of the earlier dataset in ${run.out}`);
  }
  // Before anything loads or is written: a dataset of another config is never added to.
  const stored = readDatasetRecords(run.out);
  checkResume(run.out, stored, datasetFiles(run.out).filter(isShardFile), identity);
  prepareOutput(run.out);

  const total = config.rooms * config.pairsPerRoom;
  const shardCount = Math.ceil(total / config.shardSize);
  const mine = Array.from({ length: shardCount }, (_, s) => s).filter(
    (s) => s % run.numShards === run.shardIndex,
  );
  const manifestName = run.numShards === 1 ? MANIFEST_FILE : manifestPartName(run.shardIndex, run.numShards);
  // A machine of a split run cleans up only its own temporaries: the others' may be in use.
  const owned = new Set([...mine.map(shardName), manifestName]);
  if (run.numShards === 1) owned.add(GENERATE_CONFIG_FILE);
  for (const stale of staleTemporaries(run.out, owned)) {
    rmSync(join(run.out, stale));
    log(`removed ${stale} left by an interrupted run`);
  }

  const { scenenn, shapenet, rooms, objects } = await resolveAssets(config, run.assetCache, log, warn);

  const samplesOf = (s: number) => Math.min(config.shardSize, total - s * config.shardSize);
  const records = await keptShards(
    run.out,
    mine,
    samplesOf,
    stored.flatMap((r) => r.shards),
    { depth: config.depth, instances: config.instances },
    warn,
  );
  if (records.size) log(`resuming: ${records.size} of ${mine.length} shards already complete`);
  const todo = mine.filter((s) => !records.has(s));
  // A failed write names the file, and that the complete shards (records) are kept for a rerun.
  const resumable = (err: unknown) =>
    err instanceof FileWriteError ? resumableWriteError(err, records.size) : err;
  await writeConfigRecord(run.out, GENERATOR, identity.config).catch((err) => {
    throw resumable(err);
  });

  const started = performance.now();
  const timings = { compose: 0, render: 0, correspondences: 0, encode: 0, write: 0 };
  const counts = emptyCounts();
  const pairsTodo = todo.reduce((n, s) => n + samplesOf(s), 0);
  let done = 0;

  if (todo.length) {
    const jobs = todo.flatMap((s) => shardJobs(s, config, total));
    const workerCount = Math.min(run.workers, jobs.length);
    const setup: WorkerSetup = {
      config: { ...config, scenenn, shapenet },
      rooms,
      objects,
      renderer: {},
      encode: true,
    };
    const pool = PairWorkerPool.start(setup, workerCount, log);
    log(`generating ${pairsTodo} pairs in ${todo.length} shards on ${workerCount} worker processes`);
    const pending = new Map<number, WorkerReply & { kind: 'encoded' }>();
    let nextShard = 0;
    let writer: ShardWriter | null = null;
    let shardCounts = emptyCounts();
    let nextIndex = todo.length ? todo[0] * config.shardSize : 0;

    /** Writes buffered samples in dataset order, opening and closing shards as they fill. */
    const flush = async () => {
      while (nextShard < todo.length) {
        const s = todo[nextShard];
        const end = Math.min(total, (s + 1) * config.shardSize);
        if (!writer && pending.has(s * config.shardSize)) {
          writer = new ShardWriter(run.out, s);
          shardCounts = emptyCounts();
          nextIndex = s * config.shardSize;
        }
        if (!writer) return;
        while (nextIndex < end && pending.has(nextIndex)) {
          const sample = pending.get(nextIndex)!;
          pending.delete(nextIndex);
          const t = performance.now();
          writer.addFiles(sample.files);
          timings.write += performance.now() - t;
          addCounts(shardCounts, statusCounts(sample.stats));
          nextIndex++;
        }
        if (nextIndex < end) return;
        const t = performance.now();
        const record = await writer.close();
        timings.write += performance.now() - t;
        records.set(s, { ...record, counts: shardCounts });
        writer = null;
        nextShard++;
      }
    };

    try {
      await pool.run(jobs, async (reply) => {
        if (reply.kind === 'warning') warn(reply.message);
        if (reply.kind !== 'encoded') return;
        pending.set(reply.index, reply);
        for (const key of Object.keys(reply.timings) as (keyof PairTimings)[])
          timings[key] += reply.timings[key];
        addCounts(counts, statusCounts(reply.stats));
        done++;
        const seconds = (performance.now() - started) / 1000;
        const rate = done / seconds;
        hooks.onProgress?.({
          done,
          total: pairsTodo,
          pairsPerSecond: rate,
          etaSeconds: (pairsTodo - done) / rate,
        });
        await flush();
      });
      await flush();
    } catch (err) {
      await (writer as ShardWriter | null)?.abort();
      throw resumable(err);
    } finally {
      await pool.stop();
    }
  }

  const { seed } = config;
  const manifest = buildManifest(GENERATOR, { ...config, seed }, shardCount, [...records.values()]);
  const manifestPath = await writeManifest(run, manifestName, manifest).catch((err) => {
    throw resumable(err);
  });
  const seconds = (performance.now() - started) / 1000;
  const per = (x: number) => (done ? x / done : 0);
  return {
    out: run.out,
    shardsWritten: todo.length,
    shardsResumed: mine.length - todo.length,
    pairs: done,
    seconds,
    pairsPerSecond: done / seconds,
    timings: {
      compose: per(timings.compose),
      render: per(timings.render),
      correspondences: per(timings.correspondences),
      encode: per(timings.encode),
      write: per(timings.write),
    },
    counts,
    manifest,
    manifestPath,
  };
}

/**
 * Writes this machine's manifest; a split run's last part also merges the parts into manifest.json.
 * Returns the path of the manifest written last.
 */
async function writeManifest(run: RunOptions, name: string, manifest: DatasetManifest): Promise<string> {
  await writeJsonAtomic(join(run.out, name), manifest);
  if (run.numShards > 1 && (await mergeManifestParts(run.out, run.numShards)))
    return join(run.out, MANIFEST_FILE);
  return join(run.out, name);
}

/**
 * A failed write as gen-scenes reports it: the file, the system's reason, and that the complete shards
 * stay (a shard gets its final name only once complete), so the same command resumes.
 */
function resumableWriteError(err: FileWriteError, kept: number): FileWriteError {
  return new FileWriteError(
    `gen-scenes: cannot write ${err.path}: ${systemErrorText(err.cause)}; ${kept} complete shard${kept === 1 ? '' : 's'} kept, rerun the same command to resume`,
    err.path!,
    err.cause,
  );
}

/** The jobs of shard s: its pairs, split where a room ends. */
function shardJobs(s: number, config: GenerateConfig, total: number): WorkerRequest[] {
  const jobs: WorkerRequest[] = [];
  const end = Math.min(total, (s + 1) * config.shardSize);
  for (let i = s * config.shardSize; i < end; ) {
    const room = Math.floor(i / config.pairsPerRoom);
    const p0 = i % config.pairsPerRoom;
    const p1 = Math.min(config.pairsPerRoom, p0 + (end - i));
    jobs.push({ room, pairs: [p0, p1], first: i });
    i += p1 - p0;
  }
  return jobs;
}

/** One pair's statuses as manifest counts. */
function statusCounts(stats: CorrespondenceStats): StatusCounts {
  const { total: sampled, match, occluded, outOfView, miss } = stats;
  return { pairs: 1, sampled, match, occluded, outOfView, miss };
}

/** Creates the output directory and checks it is writable; a clear error otherwise. */
function prepareOutput(out: string): void {
  try {
    mkdirSync(out, { recursive: true });
    if (!statSync(out).isDirectory()) throw new Error('not a directory');
    accessSync(out, constants.W_OK);
  } catch (err) {
    throw new SceneGenError(
      'SHARD_WRITE',
      `gen-scenes: cannot write to ${optionName('out')} ${out} (${(err as Error).message})`,
      out,
    );
  }
}

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}
