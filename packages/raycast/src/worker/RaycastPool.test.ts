import {
  buildSceneBVH,
  computeCorrespondences,
  intrinsicsFromFov,
  lookAtPose,
  raycastDepthMap,
} from '@oxels/raycast';
import { RaycastPool } from '@oxels/raycast/worker';
import { describe, expect, it } from 'vitest';
import { boxRoom, quad } from '../../test/analyticScenes.ts';

const bytes = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

describe('RaycastPool', () => {
  it('gives byte-identical maps and layers to the single-threaded functions', async () => {
    const scene = buildSceneBVH([...boxRoom([-3, 0, -4], [3, 3, 4]), quad(2, -1, [-1, 0], [1, 2], 1)]);
    const camA = { ...intrinsicsFromFov(80, 60, 60), pose: lookAtPose([0, 1.5, 3], [0, 1, -3]) };
    const camB = { ...intrinsicsFromFov(80, 60, 60), pose: lookAtPose([1.5, 1.2, 2.5], [0, 1, -3]) };
    const pool = RaycastPool.create(3);
    try {
      pool.setScene(scene);
      const expected = computeCorrespondences(scene, camA, camB, { seed: 11 });
      const got = await pool.computeCorrespondences(camA, camB, { seed: 11 });
      for (const key of ['aIndex', 'bXY', 'status', 'aDepth'] as const) {
        expect(bytes(got[key]).equals(bytes(expected[key]))).toBe(true);
      }
      const layers = await pool.raycastDepthMap(camB);
      const single = raycastDepthMap(scene, camB);
      expect(bytes(layers.depth).equals(bytes(single.depth))).toBe(true);
      expect(bytes(layers.instance).equals(bytes(single.instance))).toBe(true);
      expect(layers.instance.includes(1)).toBe(true);
    } finally {
      await pool.close();
    }
  });

  it('reports a missing scene clearly', async () => {
    const pool = RaycastPool.create(1);
    const cam = { ...intrinsicsFromFov(8, 8, 60), pose: lookAtPose([0, 0, 0], [0, 0, -1]) };
    await expect(pool.computeCorrespondences(cam, cam)).rejects.toThrow(/call setScene/);
    await pool.close();
  });
});
