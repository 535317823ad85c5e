/**
 * Runtime shims that let the threaded build of `@tensorflow/tfjs-backend-wasm` 4.22 start in Node 20.
 *
 * Out of the box tfjs disables wasm threads in Node (tensorflow/tfjs#3830), and forcing them on fails
 * with `ERR_WORKER_PATH`: the emscripten glue hands Node's `Worker` a `blob:` URL, which Node rejects.
 * Everything here works around that, and everything is undone by `restore()` once the backend is up;
 * nothing is patched at import time. The shims depend on internals of that exact tfjs build (names the
 * rollup bundle gives its `require` calls, the order in which it creates its blobs); the threaded path
 * is checked by `backend/initBackend.test.ts`, so a tfjs upgrade that breaks them fails loudly.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import workerThreads from 'node:worker_threads';

/** Undoes the patches of `installWasmThreadShims` and deletes its temporary files. */
export interface WasmThreadShims {
  restore(): void;
}

/** What the emscripten glue puts first in the blob holding the threaded module's factory. */
const MAIN_SCRIPT_PREFIX = 'var WasmBackendModuleThreadedSimd';

/**
 * The factory's source is `Function.prototype.toString()` of a function from the rollup bundle
 * `tf-backend-wasm.node.js`, so it refers to names that only exist in that bundle's scope: its
 * hoisted `require` results (`require$$0` fs, `require$$1` path, `require$$3` perf_hooks,
 * `require$$4` os), `commonjsGlobal`, and the closure variable `_scriptDir`. A pthread worker
 * evaluates that source on its own, so the names are defined here first.
 */
function mainScriptHeader(mainScriptPath: string): string {
  return [
    "var require$$0 = require('fs'), require$$1 = require('path'),",
    "  require$$3 = require('perf_hooks'), require$$4 = require('os');",
    'var commonjsGlobal = globalThis;',
    `var _scriptDir = ${JSON.stringify(mainScriptPath)};`,
    '',
  ].join('\n');
}

/**
 * The worker receives the factory as a Blob and calls `URL.createObjectURL` on it, then reads the
 * "URL" as a file. Blob contents cannot be read synchronously in Node, so the worker is told the path
 * of the file the main thread already wrote.
 */
function workerHeader(mainScriptPath: string): string {
  return [
    `URL.createObjectURL = () => ${JSON.stringify(mainScriptPath)};`,
    'URL.revokeObjectURL = () => {};',
    '',
  ].join('\n');
}

/**
 * Installs the shims needed while `tf.setBackend('wasm')` initialises the threaded module:
 * - `globalThis.Blob` records the text of the blobs tfjs builds (the worker script and the factory);
 * - `URL.createObjectURL` answers with a real file (`.cjs`, so Node runs it as CommonJS) holding
 *   that text plus the headers above, instead of a `blob:` URL;
 * - `os.cpus()` reports at least `2 * threads` cores: the module sizes XNNPACK's pool from the logical
 *   core count and keeps it to half of it, so on a 2-core machine it would never use a second thread.
 * - `worker_threads.Worker` starts the pool workers with an empty `execArgv`: by default a worker
 *   inherits the parent's Node flags, and flags such as `--input-type` (node -e) make it fail, while
 *   loader flags (tsx's `--import`) make each of the 8 workers load the TypeScript loader for a
 *   plain CommonJS script.
 *
 * Not reentrant: install, initialise one backend, restore.
 * @param threads number of XNNPACK threads that will be requested, >= 1
 */
export function installWasmThreadShims(threads: number): WasmThreadShims {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'oxels-tfjs-wasm-'));
  const OriginalBlob = globalThis.Blob;
  const originalCreateObjectURL = URL.createObjectURL;
  const originalRevokeObjectURL = URL.revokeObjectURL;
  const originalCpus = os.cpus;
  const workers = workerThreads as { Worker: typeof workerThreads.Worker };
  const OriginalWorker = workers.Worker;

  const texts = new WeakMap<Blob, string>();
  let mainScriptPath: string | undefined;
  let fileCount = 0;

  class RecordingBlob extends OriginalBlob {
    constructor(
      parts: ConstructorParameters<typeof Blob>[0] = [],
      options?: ConstructorParameters<typeof Blob>[1],
    ) {
      super(parts, options);
      if (parts.every((p) => typeof p === 'string')) {
        const text = parts.join('');
        texts.set(this, text);
        if (text.startsWith(MAIN_SCRIPT_PREFIX)) {
          mainScriptPath = path.join(dir, 'tfjs-backend-wasm-threaded-simd.cjs');
          writeFileSync(mainScriptPath, mainScriptHeader(mainScriptPath) + text);
        }
      }
    }
  }

  globalThis.Blob = RecordingBlob;
  URL.createObjectURL = (obj: Blob): string => {
    const text = texts.get(obj);
    if (text === undefined) return originalCreateObjectURL(obj);
    const file = path.join(dir, `blob-${fileCount++}.cjs`);
    writeFileSync(file, (mainScriptPath ? workerHeader(mainScriptPath) : '') + text);
    return file;
  };
  URL.revokeObjectURL = () => {};
  workers.Worker = class extends OriginalWorker {
    constructor(filename: string | URL, options?: workerThreads.WorkerOptions) {
      super(filename, { ...options, execArgv: [] });
    }
  };
  const cpus = originalCpus.call(os);
  os.cpus = () =>
    cpus.length >= 2 * threads ? cpus : Array.from({ length: 2 * threads }, (_, i) => cpus[i % cpus.length]);

  return {
    restore() {
      globalThis.Blob = OriginalBlob;
      URL.createObjectURL = originalCreateObjectURL;
      URL.revokeObjectURL = originalRevokeObjectURL;
      os.cpus = originalCpus;
      workers.Worker = OriginalWorker;
      // The workers have read both files by the time the backend is ready (emscripten waits for every
      // pool worker to load before it resolves), and the pool (8 workers) covers any thread count we
      // request, so no worker is created later.
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The part of the emscripten module that owns the pthread pool. */
interface EmscriptenPThreads {
  PThread?: { unusedWorkers: { unref(): void }[]; runningWorkers: { unref(): void }[] };
}

/**
 * Lets Node exit while the XNNPACK pool threads idle: emscripten keeps its pool workers referenced,
 * so without this a script that finished training would hang forever.
 * @param wasmModule the `wasm` field of the tfjs `BackendWasm`
 */
export function unrefWasmWorkers(wasmModule: unknown): void {
  const pthread = (wasmModule as EmscriptenPThreads).PThread;
  if (!pthread) return;
  for (const w of [...pthread.unusedWorkers, ...pthread.runningWorkers]) w.unref();
}
