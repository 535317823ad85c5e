import { accessSync, constants, existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { CorrespondenceStats } from '@oxels/raycast';
import { startModuleProcess } from '@oxels/raycast/worker';
import { ensureDefaultAssets } from '../assets/embedded/ensureDefaultAssets.ts';
import { listSceneNNRooms, listShapeNetObjects } from '../assets/listAssets.ts';
import { SceneGenError } from '../errors.ts';
import {
  addCounts,
  buildManifest,
  type DatasetManifest,
  emptyCounts,
  type ManifestShard,
  manifestPartName,
  mergeManifestParts,
  type StatusCounts,
  staleTemporaries,
  writeJsonAtomic,
} from '../shards/manifest.ts';
import { scanShard } from '../shards/readShards.ts';
import { shardName } from '../shards/schema.ts';
import { ShardWriter } from '../shards/ShardWriter.ts';
import { type GenerateConfig, type RunOptions, validateGenerateConfig } from './GenerateConfig.ts';
import type { PairTimings } from './generatePair.ts';
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
 * pairsPerRoom of room floor(i / pairsPerRoom)). Complete shards from an earlier run are kept
 * (resume); pairs are generated on `run.workers` worker threads and written in order, so the bytes do
 * not depend on the number of workers or machines.
 */
export async function generateDataset(
  config: GenerateConfig,
  run: RunOptions,
  hooks: GenerateHooks = {},
): Promise<GenerateSummary> {
  validateGenerateConfig(config, run);
  const log = hooks.onLog ?? (() => {});
  const warn = hooks.onWarning ?? (() => {});
  prepareOutput(run.out);
  for (const stale of staleTemporaries(run.out)) {
    rmSync(join(run.out, stale));
    log(`removed ${stale} left by an interrupted run`);
  }

  let announced = false;
  const onProgress = (_done: number, total: number) => {
    if (!announced)
      log(`generating the embedded default assets into ${run.assetCache} (${total} assets, once)`);
    announced = true;
  };
  const defaults =
    config.scenenn && config.shapenet ? null : await ensureDefaultAssets(run.assetCache, { onProgress });
  const scenenn = config.scenenn ?? defaults!.scenennDir;
  const shapenet = config.shapenet ?? defaults!.shapenetDir;
  const rooms = await listSceneNNRooms(scenenn);
  if (rooms.length === 0)
    throw new SceneGenError(
      'MISSING_DIR',
      `gen-scenes: ${scenenn} holds no SceneNN room (<id>/<id>.ply)`,
      scenenn,
    );
  const objects = await listShapeNetObjects(shapenet, { onWarning: warn });
  log(`${rooms.length} rooms in ${scenenn}, ${objects.length} objects in ${shapenet}`);

  const total = config.rooms * config.pairsPerRoom;
  const shardCount = Math.ceil(total / config.shardSize);
  const mine = Array.from({ length: shardCount }, (_, s) => s).filter(
    (s) => s % run.numShards === run.shardIndex,
  );
  const records = new Map<number, ManifestShard>();
  for (const s of mine) {
    const path = join(run.out, shardName(s));
    if (existsSync(path)) records.set(s, await scanShard(path));
  }
  if (records.size) log(`resuming: ${records.size} of ${mine.length} shards already complete`);
  const todo = mine.filter((s) => !records.has(s));

  const started = performance.now();
  const timings = { compose: 0, render: 0, correspondences: 0, encode: 0, write: 0 };
  const counts = emptyCounts();
  const pairsTodo = todo.reduce((n, s) => n + Math.min(config.shardSize, total - s * config.shardSize), 0);
  let done = 0;

  if (todo.length) {
    const jobs = todo.flatMap((s) => shardJobs(s, config, total));
    const workerCount = Math.min(run.workers, jobs.length);
    const setup: WorkerSetup = { config: { ...config, scenenn, shapenet }, rooms, objects, renderer: {} };
    const workers = Array.from({ length: workerCount }, () => {
      // Dawn reads EGL_PLATFORM when it loads (surfaceless EGL: no X server needed).
      const env = { EGL_PLATFORM: 'surfaceless', ...process.env };
      const child = startModuleProcess(new URL('./pairWorker.ts', import.meta.url), env);
      forwardOutput(child, log);
      child.send(setup);
      return child;
    });
    log(`generating ${pairsTodo} pairs in ${todo.length} shards on ${workerCount} worker processes`);
    const pending = new Map<number, WorkerReply & { kind: 'sample' }>();
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
      await runJobs(workers, jobs, async (reply) => {
        if (reply.kind === 'warning') warn(reply.message);
        if (reply.kind !== 'sample') return;
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
      throw err;
    } finally {
      await Promise.all(workers.map((w) => stopWorker(w)));
    }
  }

  const { seed } = config;
  const manifest = buildManifest(GENERATOR, { ...config, seed }, shardCount, [...records.values()]);
  let manifestPath = join(run.out, 'manifest.json');
  if (run.numShards === 1) {
    await writeJsonAtomic(manifestPath, manifest);
  } else {
    await writeJsonAtomic(join(run.out, manifestPartName(run.shardIndex, run.numShards)), manifest);
    const merged = await mergeManifestParts(run.out, run.numShards);
    if (!merged) manifestPath = join(run.out, manifestPartName(run.shardIndex, run.numShards));
  }
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

/** Feeds jobs to workers as they free up; rejects on the first worker error. */
function runJobs(
  workers: ChildProcess[],
  jobs: WorkerRequest[],
  onReply: (reply: WorkerReply) => Promise<void>,
): Promise<void> {
  return new Promise((resolve, reject) => {
    let next = 0;
    let busy = 0;
    let failed = false;
    // Replies are handled one at a time, in arrival order (the writer is not re-entrant).
    let chain = Promise.resolve();
    const give = (w: ChildProcess) => {
      if (next < jobs.length) {
        busy++;
        w.send(jobs[next++]);
      } else if (busy === 0) chain.then(resolve, reject);
    };
    const fail = (err: Error) => {
      if (!failed) reject(err);
      failed = true;
    };
    for (const w of workers) {
      w.on('message', (reply: WorkerReply) => {
        chain = chain.then(() => onReply(reply)).catch(fail);
        if (reply.kind === 'error')
          fail(new SceneGenError('RENDER_FAILED', `gen-scenes worker: ${reply.message}`));
        if (reply.kind === 'done') {
          busy--;
          give(w);
        }
      });
      w.on('error', (err) =>
        fail(new SceneGenError('RENDER_FAILED', `gen-scenes worker failed: ${err.message}`)),
      );
      w.on('exit', (code, signal) => {
        if (busy > 0 || next < jobs.length) {
          const why = `exit code ${code}, signal ${signal}`;
          fail(new SceneGenError('RENDER_FAILED', `gen-scenes worker process ${w.pid} died (${why})`));
        }
      });
      give(w);
    }
  });
}

function stopWorker(w: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (w.exitCode !== null || w.signalCode !== null) return resolve();
    const timer = setTimeout(() => w.kill('SIGKILL'), 5000);
    w.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    w.send('stop');
  });
}

// Dawn's notes on every start (no Vulkan loader on a CPU machine, limits clamped for GLES): not news.
const DAWN_NOISE = /artificially reduced|Couldn't load Vulkan|BackendVk\.cpp|^\s*$/;

/** Passes a worker's own output lines on to `log`, without Dawn's start-up notes. */
function forwardOutput(child: ChildProcess, log: (message: string) => void): void {
  for (const stream of [child.stdout, child.stderr]) {
    if (!stream) continue;
    createInterface({ input: stream }).on('line', (line) => {
      if (!DAWN_NOISE.test(line)) log(`worker ${child.pid}: ${line}`);
    });
  }
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
      `gen-scenes: cannot write to --out ${out} (${(err as Error).message})`,
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
