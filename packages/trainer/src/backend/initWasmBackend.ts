import { optionName } from '@oxels/core';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { TrainerError } from '../errors.ts';
import { installWasmThreadShims, unrefWasmWorkers } from './wasmThreadShims.ts';

/**
 * Largest thread count we request: emscripten pre-spawns a pool of 8 workers, and `wasmThreadShims`
 * deletes the worker script once the backend is up, so a larger pool could not grow later.
 */
export const MAX_WASM_THREADS = 8;

/** Whether this process has initialised the wasm backend (its thread count is then fixed). */
let initialised = false;

/**
 * Registers and initialises tfjs's wasm backend (XNNPACK, SIMD) with `threads` threads and makes it
 * the current backend. The thread count of a process is fixed by its first initialisation; later
 * calls only switch back to wasm.
 * @param threads 1 = the single-threaded build; 2..8 = the threaded build with that many threads
 * @returns the number of XNNPACK threads actually in use
 */
export async function initWasmBackend(threads: number): Promise<number> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  if (initialised) {
    await tf.setBackend('wasm');
    return wasm.getThreadsCount();
  }
  const require = createRequire(import.meta.url);
  // The .wasm binaries sit beside the package's main script; without this tfjs looks for them
  // beside the calling module.
  wasm.setWasmPaths(`${path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm'))}/`);
  const threaded = threads > 1;
  // tfjs reports no thread support in Node (tensorflow/tfjs#3830); the shims make it work.
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', threaded);
  wasm.setThreadsCount(threads);
  const shims = threaded ? installWasmThreadShims(threads) : undefined;
  const listenersBefore = processListeners();
  let ok: boolean;
  try {
    ok = await tf.setBackend('wasm');
  } finally {
    shims?.restore();
    removeListenersAddedSince(listenersBefore);
  }
  if (!ok) {
    throw new TrainerError(
      'BACKEND_UNAVAILABLE',
      `initBackend: the wasm backend failed to initialise (threads ${threads}); try ${optionName('backend')} cpu`,
    );
  }
  unrefWasmWorkers((tf.backend() as unknown as { wasm: unknown }).wasm);
  registerZeroCopyIdentity();
  initialised = true;
  return wasm.getThreadsCount();
}

const REPLACED_EVENTS = ['uncaughtException', 'unhandledRejection'] as const;
type ListenerSnapshot = Map<(typeof REPLACED_EVENTS)[number], unknown[]>;

function processListeners(): ListenerSnapshot {
  return new Map(REPLACED_EVENTS.map((event) => [event, process.listeners(event as 'uncaughtException')]));
}

/**
 * The emscripten glue installs process-wide handlers that rethrow every uncaught error from inside
 * its own minified source, so any later crash of the process printed 10 kB of wasm glue instead of
 * the real stack. Node's defaults do the same job properly.
 */
function removeListenersAddedSince(before: ListenerSnapshot): void {
  for (const [event, old] of before) {
    for (const listener of process.listeners(event as 'uncaughtException')) {
      if (!old.includes(listener)) process.removeListener(event as 'uncaughtException', listener);
    }
  }
}

/** The part of tfjs's BackendWasm that reference counting needs. */
interface RefCounted {
  incRef(dataId: tf.DataId): void;
}

/**
 * Replaces wasm's Identity kernel, which copies the whole tensor, by one that shares the data and
 * counts a reference, as the cpu backend's does (and as wasm's own Reshape does): tensor data is
 * never written in place. tfjs clones every tensor it saves for a backward pass through Identity,
 * so the copying kernel cost a full memory copy per saved activation (about 3% of a step in a profile
 * of one 2D step, 32 images of 32x32 on one wasm thread; more on the 3D configuration).
 */
function registerZeroCopyIdentity(): void {
  tf.unregisterKernel(tf.Identity, 'wasm');
  tf.registerKernel({
    kernelName: tf.Identity,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend }) => {
      const x = inputs.x as tf.TensorInfo;
      (backend as unknown as RefCounted).incRef(x.dataId);
      return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
    },
  });
}
