// The worker thread of fuzzReaders: prepares the inputs, runs the cases from `from` on, one after the
// other, and reports each to the parent, which keeps the time (a parser stuck in a loop blocks this
// thread, not the parent's watchdog).
import { parentPort, workerData } from 'node:worker_threads';
import { createRng, OxelsError } from '@oxels/core';
import { prepareFuzzInputs } from './fuzzInputs.ts';
import type { FuzzMessage, FuzzWorkerData } from './fuzzReaders.ts';
import { fuzzTargets } from './fuzzTargets.ts';

// three's loaders log what they skip (console.warn) and their NaN checks (console.error): thousands
// of lines here. The outcome of each case is what counts.
for (const level of ['log', 'info', 'warn', 'error'] as const) console[level] = () => {};

const { work, scale, seed, from } = (workerData as { data: FuzzWorkerData }).data;
const post = (message: FuzzMessage) => parentPort!.postMessage(message);

/** The most a case may allocate in array buffers (the inputs are a few KB; their decoded images too). */
const MAX_ALLOCATION = 256 * 2 ** 20;

/** FNV-1a of a string: each case's seed comes from the run's seed, the parser and the case index. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** What was thrown, for a report: name, message and where. */
function describe(err: unknown): string {
  if (!(err instanceof Error)) return `a thrown ${typeof err}: ${String(err)}`;
  const where = err.stack?.split('\n').find((line) => line.trim().startsWith('at ')) ?? '';
  return `${err.name}: ${err.message.slice(0, 300)} ${where.trim()}`;
}

const targets = fuzzTargets(await prepareFuzzInputs(work), work, scale);
post({ type: 'targets', targets: targets.map(({ name, cases }) => ({ name, cases })) });
let g = 0;
for (const target of targets) {
  for (let index = 0; index < target.cases; index++, g++) {
    if (g < from) continue;
    const c = await target.make(createRng(hash(`${seed}:${target.name}:${index}`)), index);
    post({ type: 'start', g, parser: target.name, index, ops: c.ops });
    const buffers = process.memoryUsage().arrayBuffers;
    const t0 = performance.now();
    let problem: string | undefined;
    let typed = false;
    try {
      await c.read();
    } catch (err) {
      typed = err instanceof OxelsError && err.message.includes(c.file);
      if (!typed) {
        problem =
          err instanceof OxelsError
            ? `a OxelsError that does not name ${c.file}: ${err.message}`
            : describe(err);
      }
    }
    const ms = performance.now() - t0;
    // A header claiming a huge size must be refused before its buffer is allocated, not after: what
    // was allocated and not yet collected shows here.
    const allocated = process.memoryUsage().arrayBuffers - buffers;
    if (problem === undefined && allocated > MAX_ALLOCATION) {
      problem = `allocated ${Math.round(allocated / 2 ** 20)} MiB (${typed ? 'then threw a typed error' : 'and read'})`;
    }
    post({ type: 'case', g, ms, typed, ...(problem !== undefined && { problem }) });
  }
}
post({ type: 'done' });
