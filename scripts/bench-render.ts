// Benchmark of @oxels/scene-gen's headless renderer: ms per frame at 256x256 and 640x480 for a
// ~200k-triangle room scene, colour only and colour + depth + instance ids (second pass), each frame
// including the readback. Prints one JSON object.
//   npx tsx scripts/bench-render.ts [--frames N] [--backend auto|vulkan|opengles]
import { scriptArgs } from './scriptArgs.ts';
import { type Camera, intrinsicsFromFov, lookAtPose } from '@oxels/raycast';
import { createRng } from '@oxels/core';
import {
  type Asset,
  buildThreeScene,
  createRenderer,
  type GpuBackend,
  renderView,
  type SceneSpec,
  ThreeAssetCache,
} from '@oxels/scene-gen';
import { BoxGeometry, type BufferGeometry, IcosahedronGeometry, TorusKnotGeometry } from 'three';

const values = scriptArgs(import.meta.filename, {
  frames: { type: 'string', default: '20' },
  backend: { type: 'string', default: 'auto' },
});
const frames = Number(values.frames);

function asset(
  id: string,
  kind: Asset['kind'],
  geometry: BufferGeometry,
  color: [number, number, number],
): Asset {
  return {
    id,
    kind,
    category: kind === 'room' ? 'room' : 'bench',
    parts: [{ geometry, material: { name: id, color, vertexColors: false, roughness: 0.8 } }],
    bounds: { min: [0, 0, 0], max: [0, 0, 0] },
    source: 'bench',
  };
}

/** An 8 x 3 x 10 m room, 36 spheres of 5,120 triangles and 2 torus knots of 6,144: 196,620 triangles. */
function benchScene(): { spec: SceneSpec; assets: Map<string, Asset>; triangles: number } {
  const rng = createRng(1);
  const room = new BoxGeometry(8, 3, 10);
  room.translate(0, 1.5, 0);
  const list = [
    asset('room', 'room', room, [0.75, 0.72, 0.68]),
    asset('sphere-a', 'object', new IcosahedronGeometry(0.25, 15), [0.7, 0.3, 0.2]),
    asset('sphere-b', 'object', new IcosahedronGeometry(0.25, 15), [0.2, 0.4, 0.7]),
    asset('knot', 'object', new TorusKnotGeometry(0.3, 0.1, 256, 12), [0.8, 0.7, 0.2]),
  ];
  const objects: SceneSpec['objects'] = [];
  for (let i = 0; i < 38; i++) {
    const assetId = i < 2 ? 'knot' : i % 2 ? 'sphere-a' : 'sphere-b';
    const [x, y, z] = [rng.uniform(-3.5, 3.5), rng.uniform(0.3, 2.3), rng.uniform(-4.5, 4.5)];
    objects.push({ assetId, category: 'bench', transform: [1, 0, 0, x, 0, 1, 0, y, 0, 0, 1, z, 0, 0, 0, 1] });
  }
  const assets = new Map(list.map((a) => [a.id, a]));
  const count = (id: string) => {
    const g = assets.get(id)!.parts[0].geometry;
    return (g.index ? g.index.count : g.getAttribute('position').count) / 3;
  };
  const triangles = count('room') + objects.reduce((n, o) => n + count(o.assetId), 0);
  const spec: SceneSpec = {
    roomId: 'room',
    objects,
    lighting: {
      hemisphere: { sky: [1, 1, 1], ground: [0.6, 0.55, 0.5], intensity: 1.2 },
      directional: [{ direction: [0.4, -1, -0.3], color: [1, 0.96, 0.9], intensity: 2 }],
      point: [{ position: [0, 2.7, 0], color: [1, 0.9, 0.8], intensity: 4 }],
    },
    floorY: 0,
  };
  return { spec, assets, triangles };
}

const { spec, assets, triangles } = benchScene();
const renderer = await createRenderer({ backend: values.backend as GpuBackend | 'auto' });
const scene = buildThreeScene(spec, assets, new ThreeAssetCache());
const results: Record<string, number> = {};
for (const [width, height] of [
  [256, 256],
  [640, 480],
]) {
  const camera: Camera = {
    ...intrinsicsFromFov(width, height, 60),
    pose: lookAtPose([0, 1.6, 4.8], [0, 1, 0]),
  };
  for (const layers of [false, true]) {
    const options = { depth: layers, instances: layers };
    for (let i = 0; i < 3; i++) await renderView(renderer, scene, camera, options); // compile, upload
    const t0 = performance.now();
    for (let i = 0; i < frames; i++) await renderView(renderer, scene, camera, options);
    results[`${width}x${height}${layers ? '+depth+instances' : ''}`] = (performance.now() - t0) / frames;
  }
}
await renderer.dispose();
console.log(JSON.stringify({ adapter: renderer.adapter, triangles, frames, msPerFrame: results }, null, 2));
