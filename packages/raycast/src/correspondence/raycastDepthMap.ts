import { createRayHit, raycastFirst } from '../bvh/raycastScene.ts';
import type { SceneBVH } from '../bvh/SceneBVH.ts';
import type { Camera } from '../camera/Camera.ts';
import { validateCamera } from '../camera/Camera.ts';
import { NO_INSTANCE } from '@oxels/core';

/** Full-view layers by ray casting: exact z-depth and instance id at every pixel centre. */
export interface RaycastLayers {
  /** float32 [H, W]: z-depth -Xc.z of the first hit at the pixel centre (not the ray length); 0 = miss. */
  depth: Float32Array;
  /** uint16 [H, W]: instance id of the first hit (0 = room, i = i-th object); NO_INSTANCE = miss. */
  instance: Uint16Array;
}

/**
 * Casts one ray through every pixel centre of `camera` (rows top-down) and returns depth and instance
 * layers. `rows` restricts the work to rows [start, end) (for worker threads); other rows stay 0.
 */
export function raycastDepthMap(
  scene: SceneBVH,
  camera: Camera,
  options: { near?: number; rows?: [number, number]; target?: RaycastLayers } = {},
): RaycastLayers {
  validateCamera(camera);
  const { width, height, fx, fy, cx, cy, pose: m } = camera;
  const near = options.near ?? 1e-3;
  const [y0, y1] = options.rows ?? [0, height];
  const layers = options.target ?? {
    depth: new Float32Array(width * height),
    instance: new Uint16Array(width * height).fill(NO_INSTANCE),
  };
  const hit = createRayHit();
  for (let y = y0; y < y1; y++) {
    const yc = -(y + 0.5 - cy) / fy;
    for (let x = 0; x < width; x++) {
      const xc = (x + 0.5 - cx) / fx;
      const inv = 1 / Math.hypot(xc, yc, 1);
      const dx = (m[0] * xc + m[1] * yc - m[2]) * inv;
      const dy = (m[4] * xc + m[5] * yc - m[6]) * inv;
      const dz = (m[8] * xc + m[9] * yc - m[10]) * inv;
      raycastFirst(scene, m[3], m[7], m[11], dx, dy, dz, near, Number.POSITIVE_INFINITY, hit);
      const i = y * width + x;
      if (hit.triangle >= 0) {
        layers.depth[i] = hit.distance * inv;
        layers.instance[i] = hit.instance;
      } else {
        layers.depth[i] = 0;
        layers.instance[i] = NO_INSTANCE;
      }
    }
  }
  return layers;
}
