import { BufferAttribute, BufferGeometry } from 'three';
import { MeshBVH, SAH } from 'three-mesh-bvh';
import { assert } from '../errors.ts';

/**
 * One triangle mesh of a scene, as plain typed arrays.
 */
export interface SceneMesh {
  /** xyz per vertex in the mesh's local frame, metres. */
  positions: Float32Array;
  /** Three vertex indices per triangle; absent means consecutive triples. */
  indices?: Uint32Array | Uint16Array;
  /** Local-to-world 4x4, row-major; absent means identity. */
  transform?: number[];
  /** Instance id of the mesh: 0 = room, i = i-th placed object. Several meshes may share one id. */
  instance: number;
}

/**
 * A whole scene's triangles in world space with a BVH over them, as plain data: every field is a
 * typed array (on SharedArrayBuffers when built with `shared: true`), so worker threads can use it
 * without copying.
 */
export interface SceneBVH {
  /** three-mesh-bvh's packed node buffer (32 bytes a node; see three-mesh-bvh's nodeBufferUtils). */
  nodes: ArrayBuffer | SharedArrayBuffer;
  /** Views of `nodes`: bounds as float32, child offsets / leaf ranges as uint32 and uint16. */
  nodeF32: Float32Array;
  nodeU32: Uint32Array;
  nodeU16: Uint16Array;
  /** 9 floats per triangle (three world-space vertices), in BVH leaf order. */
  triangles: Float32Array;
  /** Instance id of each triangle, in BVH leaf order. */
  triangleInstance: Uint16Array;
  triangleCount: number;
}

/** Options of `buildSceneBVH`. */
export interface BuildSceneBVHOptions {
  /** Put the arrays on SharedArrayBuffers (for worker threads). */
  shared: boolean;
  /** Triangles per leaf that three-mesh-bvh aims for. */
  targetLeafSize: number;
}

export const DEFAULT_BUILD_SCENE_BVH_OPTIONS: BuildSceneBVHOptions = { shared: false, targetLeafSize: 8 };

/**
 * Merges the meshes into world space and builds a SAH BVH over them with three-mesh-bvh.
 * Throws RaycastError('BAD_SCENE') for an empty scene, a non-finite vertex (naming the mesh and vertex),
 * an index out of range, or an instance id outside 0..65535.
 */
export function buildSceneBVH(meshes: SceneMesh[], options: Partial<BuildSceneBVHOptions> = {}): SceneBVH {
  const { shared, targetLeafSize } = { ...DEFAULT_BUILD_SCENE_BVH_OPTIONS, ...options };
  let triangleCount = 0;
  meshes.forEach((mesh, m) => {
    const vertexCount = mesh.positions.length / 3;
    const n = mesh.indices ? mesh.indices.length : vertexCount;
    assert(
      Number.isInteger(vertexCount) && n % 3 === 0,
      'BAD_SCENE',
      () =>
        `buildSceneBVH: mesh ${m} has ${mesh.positions.length} position floats and ${n} indices (expected multiples of 3)`,
    );
    assert(
      Number.isInteger(mesh.instance) && mesh.instance >= 0 && mesh.instance <= 0xffff,
      'BAD_SCENE',
      () => `buildSceneBVH: mesh ${m} instance id must be an integer in 0..65535 (got ${mesh.instance})`,
    );
    triangleCount += n / 3;
  });
  assert(
    triangleCount > 0,
    'BAD_SCENE',
    () => `buildSceneBVH: the scene has no triangles (${meshes.length} meshes)`,
  );

  // Unindexed world-space soup: vertex v belongs to triangle floor(v / 3), which survives the BVH's
  // reordering of the index buffer and tells us each leaf triangle's instance.
  const soup = new Float32Array(triangleCount * 9);
  const instanceOfTriangle = new Uint16Array(triangleCount);
  let t = 0;
  meshes.forEach((mesh, m) => {
    const { positions, indices, transform: x } = mesh;
    const n = indices ? indices.length : positions.length / 3;
    for (let k = 0; k < n; k++) {
      const v = indices ? indices[k] : k;
      assert(
        v < positions.length / 3,
        'BAD_SCENE',
        () => `buildSceneBVH: mesh ${m} index ${k} = ${v} is out of range (${positions.length / 3} vertices)`,
      );
      const px = positions[3 * v];
      const py = positions[3 * v + 1];
      const pz = positions[3 * v + 2];
      assert(
        Number.isFinite(px) && Number.isFinite(py) && Number.isFinite(pz),
        'BAD_SCENE',
        () =>
          `buildSceneBVH: mesh ${m} (instance ${mesh.instance}) vertex ${v} is not finite (${px}, ${py}, ${pz})`,
      );
      const o = 9 * t + 3 * (k % 3);
      if (x) {
        soup[o] = x[0] * px + x[1] * py + x[2] * pz + x[3];
        soup[o + 1] = x[4] * px + x[5] * py + x[6] * pz + x[7];
        soup[o + 2] = x[8] * px + x[9] * py + x[10] * pz + x[11];
      } else {
        soup[o] = px;
        soup[o + 1] = py;
        soup[o + 2] = pz;
      }
      if (k % 3 === 2) instanceOfTriangle[t++] = mesh.instance;
    }
  });

  const geometry = new BufferGeometry();
  geometry.setAttribute('position', new BufferAttribute(soup, 3));
  const bvh = new MeshBVH(geometry, {
    strategy: SAH,
    targetLeafSize,
    maxDepth: 60,
    useSharedArrayBuffer: shared,
    verbose: false,
  });
  const index = geometry.index!.array;
  const roots = (bvh as unknown as { _roots: (ArrayBuffer | SharedArrayBuffer)[] })._roots;
  assert(roots.length === 1, 'BAD_SCENE', () => `buildSceneBVH: expected one BVH root (got ${roots.length})`);

  const alloc = (bytes: number) => (shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
  const triangles = new Float32Array(alloc(soup.byteLength));
  const triangleInstance = new Uint16Array(alloc(triangleCount * 2));
  for (let i = 0; i < triangleCount; i++) {
    const src = index[3 * i] / 3; // the original triangle now in leaf slot i
    triangles.set(soup.subarray(9 * src, 9 * src + 9), 9 * i);
    triangleInstance[i] = instanceOfTriangle[src];
  }
  return sceneBVHFromBuffers(roots[0], triangles, triangleInstance);
}

/** Rebuilds a SceneBVH's views from its buffers (e.g. in a worker that received only the buffers). */
export function sceneBVHFromBuffers(
  nodes: ArrayBuffer | SharedArrayBuffer,
  triangles: Float32Array,
  triangleInstance: Uint16Array,
): SceneBVH {
  return {
    nodes,
    nodeF32: new Float32Array(nodes),
    nodeU32: new Uint32Array(nodes),
    nodeU16: new Uint16Array(nodes),
    triangles,
    triangleInstance,
    triangleCount: triangleInstance.length,
  };
}
