// Fuzzing of the readers of gen-scenes' files (#28): seeded mutations of real files (fuzzInputs,
// fuzzMutations) through the shard reader and the .npy, PNG/JPEG, PLY, OBJ/MTL and manifest parsers
// (fuzzTargets). Every case must read, or throw an OxelsError naming the file: never another error,
// a crash or a hang. The cases run in a worker thread so that a parser stuck in a synchronous loop
// can be stopped: the parent times each case, ends the worker after `hangMs` and goes on with the next.
import { startModuleWorker } from '@oxels/core';

/** Options of fuzzReaders. */
export interface FuzzOptions {
  /** Multiplies every parser's cases (1: about 1,450 in all). */
  scale: number;
  /** Seed of the run; each case's mutations come from it, the parser and the case index. */
  seed: number;
  /** A case taking longer than this (ms) is counted as slow. */
  slowMs: number;
  /** A case taking longer than this (ms) is a failure, and stopped when still running. */
  hangMs: number;
}

export const DEFAULT_FUZZ_OPTIONS: FuzzOptions = { scale: 1, seed: 28, slowMs: 200, hangMs: 2000 };

/** The cases of one parser: how many, how they ended, and their reading time (ms). */
export interface FuzzSummary {
  parser: string;
  cases: number;
  ok: number;
  typedErrors: number;
  failures: number;
  slow: number;
  maxMs: number;
  ms: number;
}

/** A case that failed: raw error, unnamed file, too slow, hang or crash. */
export interface FuzzFailure {
  parser: string;
  index: number;
  ops: string[];
  problem: string;
}

export interface FuzzReport {
  summaries: FuzzSummary[];
  failures: FuzzFailure[];
  /** Wall time of the whole run, input preparation included (ms). */
  ms: number;
}

/** What the worker is given. */
export interface FuzzWorkerData {
  work: string;
  scale: number;
  seed: number;
  /** Global index of the first case to run (after a hang, the one after it). */
  from: number;
}

/** What the worker says. */
export type FuzzMessage =
  | { type: 'targets'; targets: { name: string; cases: number }[] }
  | { type: 'start'; g: number; parser: string; index: number; ops: string[] }
  | { type: 'case'; g: number; ms: number; typed: boolean; problem?: string }
  | { type: 'done' };

/**
 * Runs the fuzz cases, writing inputs and mutated files under `work` (a gen-scenes dataset is
 * generated in `work/data` unless there). Returns a summary per parser and every failure.
 */
export async function fuzzReaders(work: string, options: Partial<FuzzOptions> = {}): Promise<FuzzReport> {
  const { scale, seed, slowMs, hangMs } = { ...DEFAULT_FUZZ_OPTIONS, ...options };
  const t0 = performance.now();
  const summaries = new Map<string, FuzzSummary>();
  const failures: FuzzFailure[] = [];

  /** Runs the cases from `from` on; resolves with the next case to run after a stop, or null when done. */
  const run = (from: number) =>
    new Promise<number | null>((resolve, reject) => {
      const data: FuzzWorkerData = { work, scale, seed, from };
      const worker = startModuleWorker(new URL('./fuzzWorker.ts', import.meta.url), data);
      let current: Extract<FuzzMessage, { type: 'start' }> | null = null;
      let startedAt = 0;
      let settled = false;
      const finish = (next: number | null, error?: Error) => {
        if (settled) return;
        settled = true;
        clearInterval(watchdog);
        void worker.terminate();
        if (error) reject(error);
        else resolve(next);
      };
      const fail = (problem: string) => {
        if (settled) return; // the exit that follows a stop
        if (!current)
          return finish(null, new Error(`fuzzReaders: the worker stopped between cases (${problem})`));
        const { parser, index, ops, g } = current;
        failures.push({ parser, index, ops, problem });
        const s = summaries.get(parser)!;
        s.failures++;
        s.ms += Date.now() - startedAt;
        finish(g + 1);
      };
      const watchdog = setInterval(() => {
        if (current && Date.now() - startedAt > hangMs) fail(`hang: still running after ${hangMs} ms`);
      }, 50);
      worker.on('message', (m: FuzzMessage) => {
        if (m.type === 'targets') {
          for (const { name, cases } of m.targets) {
            if (!summaries.has(name)) {
              summaries.set(name, {
                parser: name,
                cases,
                ok: 0,
                typedErrors: 0,
                failures: 0,
                slow: 0,
                maxMs: 0,
                ms: 0,
              });
            }
          }
        } else if (m.type === 'start') {
          current = m;
          startedAt = Date.now();
        } else if (m.type === 'case' && current) {
          const s = summaries.get(current.parser)!;
          s.ms += m.ms;
          s.maxMs = Math.max(s.maxMs, m.ms);
          if (m.ms > slowMs) s.slow++;
          const problem = m.problem ?? (m.ms > hangMs ? `took ${Math.round(m.ms)} ms` : undefined);
          if (problem) {
            s.failures++;
            failures.push({ parser: current.parser, index: current.index, ops: current.ops, problem });
          } else if (m.typed) s.typedErrors++;
          else s.ok++;
          current = null;
        } else if (m.type === 'done') finish(null);
      });
      worker.on('error', (err) => fail(`crash: ${err.name}: ${err.message}`));
      worker.on('exit', (code) =>
        fail(
          `crash: the worker exited with code ${code}${code === 13 ? ' (a read that never settled)' : ''}`,
        ),
      );
    });

  for (let from: number | null = 0; from !== null; ) from = await run(from);
  const rounded = [...summaries.values()].map((s) => ({
    ...s,
    maxMs: Math.round(s.maxMs),
    ms: Math.round(s.ms),
  }));
  return { summaries: rounded, failures, ms: Math.round(performance.now() - t0) };
}
