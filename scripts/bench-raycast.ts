// Benchmark of @oxels/raycast: rays/s on one thread and on all threads for a >= 200k-triangle scene,
// and the time of one correspondence map at 256x256 (K = 8192) and 640x480 (K = 38,400).
// Prints one JSON object. With Debian's python3-open3d installed, casts the same rays through
// Open3D's RaycastingScene in the same run, as the peer ratio.
//   npx tsx scripts/bench-raycast.ts [--repeats N]
import { scriptArgs } from './scriptArgs.ts';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  buildSceneBVH,
  type Camera,
  computeCorrespondences,
  correspondenceStats,
  intrinsicsFromFov,
  lookAtPose,
  raycastDepthMap,
  type SceneMesh,
} from '@oxels/raycast';
import { createRng } from '@oxels/core';
import { RaycastPool } from '@oxels/raycast/worker';
import { boxRoom } from '../packages/raycast/test/analyticScenes.ts';
import {
  BufferAttribute,
  BufferGeometry,
  DoubleSide,
  IcosahedronGeometry,
  Matrix4,
  Ray,
  Vector3,
} from 'three';
import { MeshBVH, SAH } from 'three-mesh-bvh';

const values = scriptArgs(import.meta.filename, { repeats: { type: 'string', default: '5' } });
const repeats = Number(values.repeats);

/** A 8 x 3 x 10 m room with 40 spheres of 5,120 triangles each (plus 12 wall triangles): 204,812. */
function benchScene(): SceneMesh[] {
  const rng = createRng(1);
  const meshes: SceneMesh[] = [];
  meshes.push(...boxRoom([-4, 0, -5], [4, 3, 5]));
  const sphere = new IcosahedronGeometry(1, 15).getAttribute('position').array as Float32Array;
  for (let i = 0; i < 40; i++) {
    const s = rng.uniform(0.15, 0.45);
    const m = new Matrix4()
      .makeScale(s, s, s)
      .setPosition(rng.uniform(-3.5, 3.5), s + rng.uniform(0, 1.5), rng.uniform(-4.5, 2));
    meshes.push({ positions: sphere, transform: Array.from(m.transpose().elements), instance: i + 1 });
  }
  return meshes;
}

function timeIt<T>(fn: () => T): { ms: number; result: T } {
  const t0 = performance.now();
  const result = fn();
  return { ms: performance.now() - t0, result };
}

async function timeAsync<T>(fn: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const t0 = performance.now();
  const result = await fn();
  return { ms: performance.now() - t0, result };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const cams = (w: number, h: number): [Camera, Camera] => [
  { ...intrinsicsFromFov(w, h, 60), pose: lookAtPose([0.5, 1.6, 4.5], [0, 0.8, -2]) },
  { ...intrinsicsFromFov(w, h, 60), pose: lookAtPose([-1.5, 1.4, 3.8], [0.3, 0.7, -2]) },
];

const meshes = benchScene();
const build = timeIt(() => buildSceneBVH(meshes, { shared: true }));
const scene = build.result;
const threads = availableParallelism();
const pool = RaycastPool.create(threads);
pool.setScene(scene);

const [viewA] = cams(640, 480);
// Primary rays: every pixel centre of a 640x480 view.
raycastDepthMap(scene, viewA);
const single = median(Array.from({ length: repeats }, () => timeIt(() => raycastDepthMap(scene, viewA)).ms));
await pool.raycastDepthMap(viewA);
const multi: number[] = [];
for (let i = 0; i < repeats; i++) multi.push((await timeAsync(() => pool.raycastDepthMap(viewA))).ms);
const rays = 640 * 480;

const maps: Record<string, unknown> = {};
for (const [w, h] of [
  [256, 256],
  [640, 480],
] as const) {
  const [a, b] = cams(w, h);
  computeCorrespondences(scene, a, b, { seed: 0 });
  const one = Array.from({ length: repeats }, (_, i) =>
    timeIt(() => computeCorrespondences(scene, a, b, { seed: i })),
  );
  await pool.computeCorrespondences(a, b, { seed: 0 });
  const all: number[] = [];
  for (let i = 0; i < repeats; i++)
    all.push((await timeAsync(() => pool.computeCorrespondences(a, b, { seed: i }))).ms);
  const stats = correspondenceStats(one[0].result);
  maps[`${w}x${h}`] = {
    K: stats.total,
    ms_one_thread: +median(one.map((r) => r.ms)).toFixed(1),
    ms_all_threads: +median(all).toFixed(1),
    fractions: {
      match: +stats.matchFraction.toFixed(3),
      occluded: +(stats.occluded / stats.total).toFixed(3),
      out_of_view: +(stats.outOfView / stats.total).toFixed(3),
      miss: +(stats.miss / stats.total).toFixed(3),
    },
  };
}
await pool.close();

const result: Record<string, unknown> = {
  scene_triangles: scene.triangleCount,
  bvh_build_ms: +build.ms.toFixed(0),
  threads,
  primary_rays: rays,
  rays_per_s_one_thread: Math.round(rays / (single / 1000)),
  rays_per_s_all_threads: Math.round(rays / (median(multi) / 1000)),
  correspondence_map: maps,
  target: '640x480 map under 150 ms on the 2-core machine',
  three_mesh_bvh_raycastFirst: threeMeshBvhPeer(viewA, single),
  open3d: open3dPeer(meshes, viewA, single),
};
console.log(JSON.stringify(result, null, 2));

/** The same primary rays through three-mesh-bvh's own MeshBVH.raycastFirst (same tree builder, SAH). */
function threeMeshBvhPeer(camera: Camera, oxelsMs: number): unknown {
  const geometry = new BufferGeometry();
  geometry.setAttribute('position', new BufferAttribute(scene.triangles.slice(), 3));
  const bvh = new MeshBVH(geometry, { strategy: SAH });
  const { width, height, fx, fy, cx, cy, pose: m } = camera;
  const ray = new Ray(new Vector3(m[3], m[7], m[11]), new Vector3());
  const cast = () => {
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const xc = (x + 0.5 - cx) / fx;
        const yc = -(y + 0.5 - cy) / fy;
        ray.direction
          .set(m[0] * xc + m[1] * yc - m[2], m[4] * xc + m[5] * yc - m[6], m[8] * xc + m[9] * yc - m[10])
          .normalize();
        bvh.raycastFirst(ray, DoubleSide);
      }
    }
  };
  cast();
  const ms = median(Array.from({ length: repeats }, () => timeIt(cast).ms));
  return { rays_per_s: Math.round(rays / (ms / 1000)), oxels_one_thread_speedup: +(ms / oxelsMs).toFixed(2) };
}

/** The same primary rays through Open3D's RaycastingScene (Embree), if Debian's python3-open3d is there. */
function open3dPeer(sceneMeshes: SceneMesh[], camera: Camera, oxelsMs: number): unknown {
  const dir = mkdtempSync(join(tmpdir(), 'bench-raycast-'));
  try {
    const world = buildSceneBVH(sceneMeshes).triangles; // world-space soup, any order
    writeFileSync(join(dir, 'tris.f32'), Buffer.from(world.buffer));
    writeFileSync(join(dir, 'camera.json'), JSON.stringify(camera));
    const script = `
import json, sys, time, numpy as np
try:
    import open3d as o3d
except Exception as e:
    print(json.dumps({"available": False, "why": "import open3d failed: " + str(e)})); sys.exit(0)
d = sys.argv[1]
tris = np.fromfile(d + "/tris.f32", dtype=np.float32).reshape(-1, 3)
cam = json.load(open(d + "/camera.json"))
w, h = cam["width"], cam["height"]
pose = np.array(cam["pose"]).reshape(4, 4)
xs, ys = np.meshgrid(np.arange(w) + 0.5, np.arange(h) + 0.5)
dirs = np.stack([(xs - cam["cx"]) / cam["fx"], -(ys - cam["cy"]) / cam["fy"], -np.ones_like(xs)], -1).reshape(-1, 3)
dirs = dirs @ pose[:3, :3].T
dirs /= np.linalg.norm(dirs, axis=1, keepdims=True)
rays = np.concatenate([np.broadcast_to(pose[:3, 3], dirs.shape), dirs], 1).astype(np.float32)
scene = o3d.t.geometry.RaycastingScene()
idx = np.arange(len(tris), dtype=np.uint32).reshape(-1, 3)
scene.add_triangles(o3d.core.Tensor(tris), o3d.core.Tensor(idx))
r = scene.cast_rays(o3d.core.Tensor(rays))
times = []
for _ in range(5):
    t = time.perf_counter(); r = scene.cast_rays(o3d.core.Tensor(rays)); times.append(time.perf_counter() - t)
hit = np.isfinite(r["t_hit"].numpy())
print(json.dumps({"available": True, "version": o3d.__version__, "ms": float(np.median(times) * 1000), "hit_fraction": float(hit.mean())}))
`;
    writeFileSync(join(dir, 'peer.py'), script);
    const out = JSON.parse(
      execFileSync('/usr/bin/python3', [join(dir, 'peer.py'), dir], { encoding: 'utf8' }),
    );
    if (!out.available) return out;
    if (out.hit_fraction < 0.5) {
      return {
        ...out,
        usable: false,
        why: 'Open3D hit almost nothing in a closed room: its RaycastingScene is broken in this build',
      };
    }
    return {
      ...out,
      rays_per_s: Math.round(rays / (out.ms / 1000)),
      oxels_one_thread_over_open3d: +(out.ms / oxelsMs).toFixed(3),
    };
  } catch (err) {
    return { available: false, why: (err as Error).message.split('\n')[0] };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
