import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import type { SceneBVH } from '../bvh/SceneBVH.ts';
import type { Camera } from '../camera/Camera.ts';
import { validateCamera } from '../camera/Camera.ts';
import { NO_INSTANCE, startModuleWorker } from '@oxels/core';
import type { CorrespondenceMap, CorrespondenceOptions } from '../correspondence/computeCorrespondences.ts';
import { sampleCorrespondencePixels } from '../correspondence/computeCorrespondences.ts';
import type { RaycastLayers } from '../correspondence/raycastDepthMap.ts';
import { assert, RaycastError } from '../errors.ts';
import type { PoolRequest } from './raycastWorker.ts';

/**
 * Ray casting spread over worker threads. The scene's arrays live on SharedArrayBuffers, so each
 * worker sees the same BVH without a copy; each worker fills its own slice of shared output arrays.
 * Results are identical to the single-threaded functions (same sampling, same per-pixel kernel).
 */
export class RaycastPool {
  private readonly workers: Worker[];
  private sceneVersion = 0;
  private scene: SceneBVH | null = null;

  private constructor(workers: Worker[]) {
    this.workers = workers;
  }

  /** Starts `threads` workers (default: all logical cores). */
  static create(threads = availableParallelism()): RaycastPool {
    assert(threads >= 1, 'BAD_ARGUMENT', () => `RaycastPool.create: threads must be >= 1 (got ${threads})`);
    const entry = new URL('./raycastWorker.ts', import.meta.url);
    return new RaycastPool(Array.from({ length: threads }, () => startModuleWorker(entry)));
  }

  get threads(): number {
    return this.workers.length;
  }

  /** Makes `scene` the one the next calls cast against; copies it to shared memory if needed. */
  setScene(scene: SceneBVH): void {
    const toShared = <T extends Float32Array | Uint16Array>(a: T): T => {
      if (a.buffer instanceof SharedArrayBuffer) return a;
      const copy = new (a.constructor as new (b: SharedArrayBuffer) => T)(
        new SharedArrayBuffer(a.byteLength),
      );
      copy.set(a as never);
      return copy;
    };
    const nodes =
      scene.nodes instanceof SharedArrayBuffer ? scene.nodes : copyToShared(scene.nodes as ArrayBuffer);
    this.scene = {
      ...scene,
      nodes,
      triangles: toShared(scene.triangles),
      triangleInstance: toShared(scene.triangleInstance),
    };
    this.sceneVersion++;
  }

  /** `computeCorrespondences` over the pool's threads. */
  async computeCorrespondences(
    camA: Camera,
    camB: Camera,
    options: Partial<CorrespondenceOptions> = {},
  ): Promise<CorrespondenceMap> {
    validateCamera(camA, 'camera A');
    validateCamera(camB, 'camera B');
    const aIndex = sampleCorrespondencePixels(camA, options);
    const k = aIndex.length;
    const shared = <T>(make: (b: SharedArrayBuffer) => T, bytes: number) =>
      make(new SharedArrayBuffer(bytes));
    const map: CorrespondenceMap = {
      width: camA.width,
      height: camA.height,
      aIndex: shared((b) => new Int32Array(b), 4 * k),
      bXY: shared((b) => new Float32Array(b), 8 * k),
      status: shared((b) => new Uint8Array(b), k),
      aDepth: shared((b) => new Float32Array(b), 4 * k),
    };
    map.aIndex.set(aIndex);
    await this.runSlices(k, (start, end) => ({
      kind: 'correspondences',
      camA,
      camB,
      options,
      map,
      start,
      end,
    }));
    return map;
  }

  /** `raycastDepthMap` over the pool's threads (rows split between workers). */
  async raycastDepthMap(camera: Camera, options: { near?: number } = {}): Promise<RaycastLayers> {
    validateCamera(camera);
    const n = camera.width * camera.height;
    const layers: RaycastLayers = {
      depth: new Float32Array(new SharedArrayBuffer(4 * n)),
      instance: new Uint16Array(new SharedArrayBuffer(2 * n)).fill(NO_INSTANCE),
    };
    await this.runSlices(camera.height, (start, end) => ({
      kind: 'depth',
      camera,
      near: options.near,
      layers,
      start,
      end,
    }));
    return layers;
  }

  /** Stops the workers. */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private async runSlices(
    count: number,
    request: (start: number, end: number) => PoolRequest['jobs'][number],
  ): Promise<void> {
    const scene = this.scene;
    if (!scene) throw new RaycastError('BAD_ARGUMENT', 'RaycastPool: call setScene(scene) before casting');
    // Interleaved small chunks balance the load when one part of the image is costlier than another.
    const chunks = Math.min(count, this.workers.length * 8);
    const bounds = Array.from({ length: chunks + 1 }, (_, i) => Math.round((i * count) / chunks));
    await Promise.all(
      this.workers.map((worker, w) => {
        const slices: [number, number][] = [];
        for (let c = w; c < chunks; c += this.workers.length) slices.push([bounds[c], bounds[c + 1]]);
        if (slices.length === 0) return Promise.resolve();
        const message: PoolRequest = {
          sceneVersion: this.sceneVersion,
          scene,
          jobs: slices.map(([s, e]) => request(s, e)),
        };
        return new Promise<void>((resolve, reject) => {
          const onMessage = (reply: { error?: string }) => {
            worker.off('error', onError);
            if (reply.error) reject(new RaycastError('WORKER_FAILED', `RaycastPool worker: ${reply.error}`));
            else resolve();
          };
          const onError = (err: Error) => {
            worker.off('message', onMessage);
            reject(new RaycastError('WORKER_FAILED', `RaycastPool worker crashed: ${err.message}`));
          };
          worker.once('message', onMessage);
          worker.once('error', onError);
          worker.postMessage(message);
        });
      }),
    );
  }
}

function copyToShared(buffer: ArrayBuffer): SharedArrayBuffer {
  const shared = new SharedArrayBuffer(buffer.byteLength);
  new Uint8Array(shared).set(new Uint8Array(buffer));
  return shared;
}
