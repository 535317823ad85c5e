import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { TrainerError } from '../errors.ts';
import { initBackend } from './initBackend.ts';

const INIT_BACKEND = fileURLToPath(new URL('./initBackend.ts', import.meta.url));
/** The package root, so that the child resolves the package's own dependencies. */
const PACKAGE_DIR = fileURLToPath(new URL('../..', import.meta.url));

/** A conv2d on seeded data, reduced to one number that every backend must agree on. */
const CONV_CHECKSUM = `
  const x = tf.randomNormal([2, 8, 8, 16], 0, 1, 'float32', 1);
  const w = tf.randomNormal([3, 3, 16, 16], 0, 1, 'float32', 2);
  const checksum = tf.sum(tf.abs(tf.conv2d(x, w, 1, 'same'))).dataSync()[0];`;

/**
 * Runs `initBackend` in a fresh Node process (the wasm thread count is fixed per process) and returns
 * what it printed. The process must exit on its own: no timer, worker or handle may keep it alive.
 */
function runInChild(backend: string, threads: number) {
  const code = `
    import * as tf from '@tensorflow/tfjs-core';
    import { initBackend } from ${JSON.stringify(INIT_BACKEND)};
    const info = await initBackend(${JSON.stringify(backend)}, { threads: ${threads} });
    ${CONV_CHECKSUM}
    console.log(JSON.stringify({ ...info, checksum }));`;
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
    cwd: PACKAGE_DIR,
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(child.error, 'child process did not exit within 60 s').toBeUndefined();
  expect(child.status, child.stderr).toBe(0);
  return JSON.parse(child.stdout.trim().split('\n').at(-1)!) as {
    backend: string;
    device: string;
    checksum: number;
  };
}

describe('initBackend', () => {
  it('runs the threaded wasm build with 2 threads, agrees with 1 thread, and lets Node exit', () => {
    const threaded = runInChild('wasm', 2);
    const single = runInChild('wasm', 1);
    expect(threaded.device).toBe('WebAssembly SIMD (XNNPACK), 2 threads');
    expect(single.device).toBe('WebAssembly SIMD (XNNPACK), 1 thread');
    expect(threaded.checksum).toBeCloseTo(single.checksum, 1);
  });

  it('switches between backends in one process', async () => {
    expect((await initBackend('cpu')).backend).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect((await initBackend('wasm', { threads: 1 })).backend).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
  });

  it('never picks cpu for auto', async () => {
    const info = await initBackend('auto', { threads: 1 });
    expect(['tensorflow', 'webgpu', 'wasm']).toContain(info.backend);
  });

  it('fails with BACKEND_UNAVAILABLE, naming the fix, when a requested backend cannot run', async () => {
    const previous = process.env.OXELS_NO_TENSORFLOW;
    process.env.OXELS_NO_TENSORFLOW = '1';
    try {
      await expect(initBackend('tensorflow')).rejects.toThrow(
        /install it with `bash scripts\/setup-tensorflow.sh`/,
      );
    } finally {
      if (previous === undefined) delete process.env.OXELS_NO_TENSORFLOW;
      else process.env.OXELS_NO_TENSORFLOW = previous;
    }
    // Without a hardware GPU adapter (this machine has none; a GPU machine runs it).
    const webgpu = await initBackend('webgpu').then(
      (info) => info.backend,
      (e: unknown) => (e instanceof TrainerError ? e.code : e),
    );
    expect(['webgpu', 'BACKEND_UNAVAILABLE']).toContain(webgpu);
  });

  it('rejects unknown names and bad thread counts', async () => {
    await expect(initBackend('gpu' as 'wasm')).rejects.toThrow(/unknown backend 'gpu'/);
    await expect(initBackend('wasm', { threads: -1 })).rejects.toThrow(/threads must be/);
  });
});
