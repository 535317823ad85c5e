// Worker side of RaycastPool: runs the single-threaded kernels on slices of shared arrays.
import { parentPort } from 'node:worker_threads';
import type { SceneBVH } from '../bvh/SceneBVH.ts';
import { sceneBVHFromBuffers } from '../bvh/SceneBVH.ts';
import type { Camera } from '../camera/Camera.ts';
import type { CorrespondenceMap, CorrespondenceOptions } from '../correspondence/computeCorrespondences.ts';
import { correspondencesForPixels } from '../correspondence/computeCorrespondences.ts';
import type { RaycastLayers } from '../correspondence/raycastDepthMap.ts';
import { raycastDepthMap } from '../correspondence/raycastDepthMap.ts';

/** One message from RaycastPool to a worker: the scene (shared memory) and the slices to fill. */
export interface PoolRequest {
  sceneVersion: number;
  scene: SceneBVH;
  jobs: (
    | {
        kind: 'correspondences';
        camA: Camera;
        camB: Camera;
        options: Partial<CorrespondenceOptions>;
        map: CorrespondenceMap;
        start: number;
        end: number;
      }
    | { kind: 'depth'; camera: Camera; near?: number; layers: RaycastLayers; start: number; end: number }
  )[];
}

let cached: { version: number; scene: SceneBVH } | null = null;

parentPort!.on('message', (request: PoolRequest) => {
  try {
    if (cached?.version !== request.sceneVersion) {
      const { nodes, triangles, triangleInstance } = request.scene;
      cached = {
        version: request.sceneVersion,
        scene: sceneBVHFromBuffers(nodes, triangles, triangleInstance),
      };
    }
    for (const job of request.jobs) {
      if (job.kind === 'correspondences') {
        correspondencesForPixels(cached.scene, job.camA, job.camB, job.map, job.start, job.end, job.options);
      } else {
        raycastDepthMap(cached.scene, job.camera, {
          near: job.near,
          rows: [job.start, job.end],
          target: job.layers,
        });
      }
    }
    parentPort!.postMessage({});
  } catch (err) {
    parentPort!.postMessage({ error: err instanceof Error ? err.message : String(err) });
  }
});
