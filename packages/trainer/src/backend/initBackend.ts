import { optionName } from '@oxels/core';
import os from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import { BACKEND_NAMES, type BackendName } from '../constants.ts';
import { assert, TrainerError } from '../errors.ts';
import { findGpuAdapter } from './findGpuAdapter.ts';
import { initWasmBackend, MAX_WASM_THREADS } from './initWasmBackend.ts';
import { registerGradients } from './registerGradients.ts';

/** Options of `initBackend`. */
export interface InitBackendOptions {
  /**
   * XNNPACK threads of the wasm backend; 0 = one per logical core, at most 8. Fixed for the process
   * by the first wasm initialisation. Only convolutions use the extra threads.
   */
  threads: number;
  /**
   * wasm only: its XNNPACK threads when they differ from `threads`, e.g. 1 on a main thread whose
   * convolutions run in data-parallel replicas. Default: `threads`.
   */
  wasmThreads?: number;
  /** webgpu: accept a CPU implementation of WebGPU (SwiftShader, llvmpipe, lavapipe). Never chosen by `auto`. */
  allowSoftwareGpu: boolean;
}

export const DEFAULT_INIT_BACKEND_OPTIONS: Readonly<InitBackendOptions> = Object.freeze({
  threads: 0,
  allowSoftwareGpu: false,
});

/** The backend a run trains on, as `initBackend` set it up. */
export interface BackendInfo {
  backend: Exclude<BackendName, 'auto'>;
  /** What it runs on, for the log line of a run, e.g. `WebAssembly SIMD (XNNPACK), 2 threads`. */
  device: string;
}

/** How to get the native backend, for the errors that name it. */
const TENSORFLOW_INSTALL_HINT =
  "install it with `bash scripts/setup-tensorflow.sh` (tfjs-node's own download, else libtensorflow from pip's " +
  `tensorflow-cpu wheel; see README "Training backends"), or use ${optionName('backend')} wasm`;

/** The optional native bindings, best first. Not dependencies: their install downloads libtensorflow. */
const TENSORFLOW_PACKAGES = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'];

/**
 * Chooses, initialises and activates the tfjs backend for training, and registers tfjs's gradients.
 * `auto` takes a GPU first (`tensorflow` from @tensorflow/tfjs-node-gpu, else `webgpu` when Dawn
 * offers a hardware adapter), then `tensorflow` from @tensorflow/tfjs-node (libtensorflow on the
 * CPU), else `wasm`. `cpu` (plain JavaScript) is never chosen by `auto`.
 * Safe to call again, e.g. to switch between backends in one process.
 * @throws TrainerError BACKEND_UNAVAILABLE when the named backend cannot run here
 */
export async function initBackend(
  name: BackendName,
  options: Partial<InitBackendOptions> = {},
): Promise<BackendInfo> {
  const opts = { ...DEFAULT_INIT_BACKEND_OPTIONS, ...options };
  assert(
    (BACKEND_NAMES as readonly string[]).includes(name),
    'BAD_ARGUMENT',
    () => `initBackend: unknown backend '${name}' (expected one of ${BACKEND_NAMES.join(', ')})`,
  );
  assert(
    Number.isInteger(opts.threads) && opts.threads >= 0,
    'BAD_ARGUMENT',
    () => `initBackend: threads must be a non-negative integer (got ${opts.threads})`,
  );
  await registerGradients();
  const wasmThreads = opts.wasmThreads ?? opts.threads;
  if (name === 'auto') {
    // A GPU first (TensorFlow with CUDA, then Dawn), then TensorFlow on the CPU, then wasm.
    const gpu =
      (await tryTensorflow(opts.threads, ['@tensorflow/tfjs-node-gpu'])).info ?? (await tryWebgpu(false));
    return gpu ?? (await tryTensorflow(opts.threads)).info ?? (await initWasm(wasmThreads));
  }
  if (name === 'tensorflow') {
    const native = await tryTensorflow(opts.threads);
    if (native.info) return native.info;
    throw new TrainerError(
      'BACKEND_UNAVAILABLE',
      `initBackend: backend 'tensorflow': ${native.why}; ${TENSORFLOW_INSTALL_HINT}`,
    );
  }
  if (name === 'webgpu') {
    const info = await tryWebgpu(opts.allowSoftwareGpu);
    if (info) return info;
    throw new TrainerError(
      'BACKEND_UNAVAILABLE',
      'initBackend: backend webgpu needs a GPU adapter from Dawn (npm webgpu), and there is none ' +
        `(or only a software one)${opts.allowSoftwareGpu ? '' : '; pass allowSoftwareGpu to accept one'}; use ${optionName('backend')} wasm`,
    );
  }
  if (name === 'wasm') return initWasm(wasmThreads);
  await import('@tensorflow/tfjs-backend-cpu');
  await tf.setBackend('cpu');
  return { backend: 'cpu', device: 'JavaScript (tfjs-backend-cpu), 1 thread' };
}

/** The native backend, or why it is not there (the first package's reason: the one set-up installs). */
async function tryTensorflow(
  threads: number,
  packages = TENSORFLOW_PACKAGES,
): Promise<{ info?: BackendInfo; why: string }> {
  if (process.env.OXELS_NO_TENSORFLOW === '1') return { why: 'turned off by OXELS_NO_TENSORFLOW=1' };
  if (tf.findBackend('tensorflow') && (await tf.setBackend('tensorflow'))) {
    return { info: tensorflowInfo(), why: '' };
  }
  // libtensorflow reads these when the binding creates its context, that is on import; 0 leaves
  // TensorFlow's default (one thread per core). The log level hides its CPU-feature notice; the oneDNN
  // line is printed before any setting is read.
  if (threads > 0) {
    process.env.TF_NUM_INTRAOP_THREADS = `${threads}`;
    process.env.TF_NUM_INTEROP_THREADS = '1';
  }
  process.env.TF_CPP_MIN_LOG_LEVEL ??= '2';
  const reasons: string[] = [];
  for (const pkg of packages) {
    try {
      await import(pkg);
    } catch (e) {
      reasons.push(`${pkg}: ${firstLine(e)}`);
      continue;
    }
    if (await tf.setBackend('tensorflow')) return { info: tensorflowInfo(), why: '' };
    reasons.push(`${pkg} loaded but its backend did not initialise`);
  }
  return { why: reasons.find((r) => r.startsWith('@tensorflow/tfjs-node:')) ?? reasons[0] };
}

/** `TensorFlow 2.21.0 (tfjs-node 4.22.0), 2 threads`, from the loaded binding itself. */
function tensorflowInfo(): BackendInfo {
  const backend = tf.backend() as unknown as { binding: { TF_Version: string }; isGPUPackage: boolean };
  const intra = Number(process.env.TF_NUM_INTRAOP_THREADS);
  const threads = intra > 0 ? intra : os.availableParallelism();
  const pkg = backend.isGPUPackage ? 'tfjs-node-gpu' : 'tfjs-node';
  return {
    backend: 'tensorflow',
    device: `TensorFlow ${backend.binding.TF_Version} (${pkg} ${tf.version_core}), ${threads} thread${threads === 1 ? '' : 's'}`,
  };
}

function firstLine(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  if (/Cannot find (package|module)/.test(message)) return 'not installed';
  return message.split('\n')[0];
}

async function tryWebgpu(allowSoftware: boolean): Promise<BackendInfo | null> {
  const adapter = await findGpuAdapter({ allowSoftware });
  if (!adapter || (adapter.software && !allowSoftware)) return null;
  adapter.install();
  await import('@tensorflow/tfjs-backend-webgpu');
  if (!(await tf.setBackend('webgpu'))) return null;
  return { backend: 'webgpu', device: `WebGPU on ${adapter.description}` };
}

async function initWasm(requested: number): Promise<BackendInfo> {
  const wanted = requested === 0 ? os.availableParallelism() : requested;
  const threads = await initWasmBackend(Math.min(wanted, MAX_WASM_THREADS));
  return {
    backend: 'wasm',
    device: `WebAssembly SIMD (XNNPACK), ${threads} thread${threads === 1 ? '' : 's'}`,
  };
}
