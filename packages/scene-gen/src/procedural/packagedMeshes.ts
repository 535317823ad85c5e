import { createRequire } from 'node:module';
import type { Rng } from '@oxels/core';
import { add, cross, normalize, sub, type V3 } from './MeshBuilder.ts';
import { ObjectBuilder } from './ObjectBuilder.ts';

/** The public-domain meshes npm packages ship: `{ positions: [x, y, z][], cells: [a, b, c][] }`. */
interface SimplicialMesh {
  positions: V3[];
  cells: [number, number, number][];
}

/** The packaged meshes we use, with the rotation that puts them in ShapeNet's frame. */
const PACKAGED = {
  // Stanford bunny (3,674 triangles): +Y up already, facing -X; turn it to face -Z: (x, y, z) -> (-z, y, x).
  bunny: { rotate: ([x, y, z]: V3): V3 => [-z, y, x], color: [0.76, 0.6, 0.45] as V3, shiny: 0.2 },
  // Utah teapot (992 triangles): +Y up, spout on +X, lid on top; the classic side view faces -Z as is.
  teapot: { rotate: (p: V3): V3 => p, color: [0.9, 0.9, 0.86] as V3, shiny: 0.8 },
};

/** Names of the packaged meshes. */
export type PackagedMeshName = keyof typeof PACKAGED;

/**
 * Builds the npm package `bunny` or `teapot` as an object: one material, area-weighted smooth
 * vertex normals (the packages carry none), in ShapeNet's axes (before normalizeShapeNet).
 */
export function buildPackagedMesh(name: PackagedMeshName, rng: Rng): ObjectBuilder {
  const require = createRequire(import.meta.url);
  const data = require(name) as SimplicialMesh;
  const { rotate, color, shiny } = PACKAGED[name];
  const o = new ObjectBuilder(rng);
  const material = o.material(name === 'bunny' ? 'clay' : 'porcelain', color, shiny);
  const positions = data.positions.map(rotate);
  const normals: V3[] = positions.map(() => [0, 0, 0]);
  for (const [a, b, c] of data.cells) {
    // Unnormalised face normal: its length is twice the area, which weights the average.
    const n = cross(sub(positions[b], positions[a]), sub(positions[c], positions[a]));
    for (const v of [a, b, c]) normals[v] = add(normals[v], n);
  }
  const base = o.mesh.vertexCount;
  positions.forEach((p, i) => {
    const n = normals[i];
    o.mesh.addVertex({ position: p, normal: Math.hypot(...n) > 0 ? normalize(n) : [0, 1, 0] });
  });
  for (const [a, b, c] of data.cells) o.mesh.addTriangle(base + a, base + b, base + c, material);
  return o;
}
