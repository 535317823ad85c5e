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

/** The optional native bindings, best first. Not dependencies: their install downloads libtensorflow. */
const TENSORFLOW_PACKAGES = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'];

/**
 * Chooses, initialises and activates the tfjs backend for training, and registers tfjs's gradients.
 * `auto` takes `tensorflow` when @tensorflow/tfjs-node(-gpu) is installed, else `webgpu` when Dawn
 * offers a hardware GPU adapter, else `wasm`. `cpu` (plain JavaScript) is never chosen by `auto`.
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
  if (name === 'auto') {
    return (await tryTensorflow()) ?? (await tryWebgpu(false)) ?? (await initWasm(opts.threads));
  }
  if (name === 'tensorflow') {
    const info = await tryTensorflow();
    if (info) return info;
    throw new TrainerError(
      'BACKEND_UNAVAILABLE',
      `initBackend: backend 'tensorflow' needs ${TENSORFLOW_PACKAGES.join(' or ')}, and neither is installed ` +
        '(their install downloads libtensorflow 2.9.1); install one, or use --backend wasm',
    );
  }
  if (name === 'webgpu') {
    const info = await tryWebgpu(opts.allowSoftwareGpu);
    if (info) return info;
    throw new TrainerError(
      'BACKEND_UNAVAILABLE',
      'initBackend: backend webgpu needs a GPU adapter from Dawn (npm webgpu), and there is none ' +
        `(or only a software one)${opts.allowSoftwareGpu ? '' : '; pass allowSoftwareGpu to accept one'}; use --backend wasm`,
    );
  }
  if (name === 'wasm') return initWasm(opts.threads);
  await import('@tensorflow/tfjs-backend-cpu');
  await tf.setBackend('cpu');
  return { backend: 'cpu', device: 'JavaScript (tfjs-backend-cpu), 1 thread' };
}

async function tryTensorflow(): Promise<BackendInfo | null> {
  for (const pkg of TENSORFLOW_PACKAGES) {
    try {
      await import(pkg);
    } catch {
      continue;
    }
    if (await tf.setBackend('tensorflow')) {
      return { backend: 'tensorflow', device: `TensorFlow C library via ${pkg}` };
    }
  }
  return null;
}

async function tryWebgpu(allowSoftware: boolean): Promise<BackendInfo | null> {
  const adapter = await findGpuAdapter();
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
