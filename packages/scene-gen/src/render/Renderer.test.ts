import { type Camera, intrinsicsFromFov, lookAtPose } from '@oxels/raycast';
import { ColorManagement } from 'three/webgpu';
import { describe, expect, it } from 'vitest';
import { ambientOnly, assetOf, boxGeometry, matte, sceneOf } from '../../test/renderFixtures.ts';
import { SceneGenError } from '../errors.ts';
import { buildThreeScene } from './buildThreeScene.ts';
import { createRenderer } from './Renderer.ts';
import { renderView } from './renderView.ts';
import { ThreeAssetCache } from './ThreeAssetCache.ts';

describe('createRenderer', () => {
  it('rejects unknown options before it touches the GPU', async () => {
    await expect(createRenderer({ backend: 'metal' as 'vulkan' })).rejects.toThrow(
      /unknown backend \(got metal/,
    );
    await expect(createRenderer({ toneMapping: 'filmic' as 'aces' })).rejects.toThrow(/unknown toneMapping/);
    await expect(createRenderer({ exposure: 0 })).rejects.toThrow(/exposure must be finite and > 0/);
  });

  it('opens a Dawn device, renders concurrent views like sequential ones, and refuses to work once disposed', async () => {
    const renderer = await createRenderer();
    expect(['vulkan', 'opengles']).toContain(renderer.adapter.backend);
    expect(renderer.adapter.description.length).toBeGreaterThan(0);
    expect(process.env.EGL_PLATFORM).toBeDefined();
    expect(renderer.viewTargets(8, 6)).toBe(renderer.viewTargets(8, 6));

    const room = assetOf('room', 'room', boxGeometry([-2, 0, -2], [2, 3, 2]), matte([0.7, 0.6, 0.5]));
    const box = assetOf(
      'box',
      'object',
      boxGeometry([-0.3, 0, -0.3], [0.3, 0.6, 0.3]),
      matte([0.2, 0.4, 0.8]),
    );
    const scene = buildThreeScene(
      sceneOf(
        'room',
        [{ assetId: 'box', transform: [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1] }],
        ambientOnly(2),
      ),
      new Map([room, box].map((a) => [a.id, a])),
      new ThreeAssetCache(),
    );
    const cameras: Camera[] = [
      { ...intrinsicsFromFov(32, 24, 60), pose: lookAtPose([1, 1.5, 1.8], [0, 0.3, 0]) },
      { ...intrinsicsFromFov(32, 24, 60), pose: lookAtPose([-1.5, 1, -1], [0, 0.3, 0]) },
    ];
    const options = { depth: true, instances: true };
    const sequential = [];
    for (const camera of cameras) sequential.push(await renderView(renderer, scene, camera, options));
    const concurrent = await Promise.all(
      cameras.map((camera) => renderView(renderer, scene, camera, options)),
    );
    expect(concurrent).toEqual(sequential);
    expect(sequential[0].rgb).not.toEqual(sequential[1].rgb);

    await renderer.dispose();
    await renderer.dispose();
    const late = renderView(renderer, scene, cameras[0]);
    await expect(late).rejects.toBeInstanceOf(SceneGenError);
    await expect(late).rejects.toMatchObject({ code: 'DISPOSED' });
  });

  it('encodes sRGB even when ColorManagement is disabled while its first frame is built', async () => {
    // The assets loaders switch ColorManagement off to read PLY colours raw; three's output pass would
    // then compile its linear -> sRGB step to a no-op (a grey of sRGB 128 would come out as 55).
    const renderer = await createRenderer({ toneMapping: 'none' });
    const quad = assetOf('quad', 'object', boxGeometry([-1, -1, -0.1], [1, 1, 0]), matte([0.5, 0.5, 0.5]));
    const room = assetOf('room', 'room', boxGeometry([-9, -9, -9], [-8, -8, -8]), matte([0, 0, 0]));
    const lighting = {
      ...ambientOnly(0),
      directional: [
        {
          direction: [0, 0, -1] as [number, number, number],
          color: [1, 1, 1] as [number, number, number],
          intensity: Math.PI,
        },
      ],
    };
    ColorManagement.enabled = false;
    try {
      const scene = buildThreeScene(
        sceneOf(
          'room',
          [{ assetId: 'quad', transform: [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1] }],
          lighting,
        ),
        new Map([room, quad].map((a) => [a.id, a])),
        new ThreeAssetCache(),
      );
      const camera: Camera = { ...intrinsicsFromFov(8, 8, 20), pose: lookAtPose([0, 0, 4], [0, 0, 0]) };
      const view = await renderView(renderer, scene, camera);
      expect(Math.abs(view.rgb[3 * 36] - 128)).toBeLessThanOrEqual(3);
      expect(ColorManagement.enabled).toBe(false);
    } finally {
      ColorManagement.enabled = true;
      await renderer.dispose();
    }
  });
});
