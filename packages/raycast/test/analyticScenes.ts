import type { SceneMesh } from '@oxels/raycast';

/** An axis-aligned rectangle as two triangles: `axis` is the constant coordinate at `at`. */
export function quad(
  axis: 0 | 1 | 2,
  at: number,
  lo: [number, number],
  hi: [number, number],
  instance = 0,
): SceneMesh {
  const corner = (a: number, b: number): number[] => {
    const p = [0, 0, 0];
    p[axis] = at;
    p[(axis + 1) % 3] = a;
    p[(axis + 2) % 3] = b;
    return p;
  };
  const c = [corner(lo[0], lo[1]), corner(hi[0], lo[1]), corner(hi[0], hi[1]), corner(lo[0], hi[1])];
  return { positions: new Float32Array([...c[0], ...c[1], ...c[2], ...c[0], ...c[2], ...c[3]]), instance };
}

/** The six inner walls of a box [min, max] (a room seen from inside). */
export function boxRoom(min: [number, number, number], max: [number, number, number]): SceneMesh[] {
  const meshes: SceneMesh[] = [];
  for (const axis of [0, 1, 2] as const) {
    const a = (axis + 1) % 3;
    const b = (axis + 2) % 3;
    for (const at of [min[axis], max[axis]]) {
      meshes.push(quad(axis, at, [min[a], min[b]], [max[a], max[b]]));
    }
  }
  return meshes;
}

/** Intersection distance of a ray with the plane `axis` = at, or NaN. */
export function rayPlane(o: number[], d: number[], axis: number, at: number): number {
  const t = (at - o[axis]) / d[axis];
  return t > 0 ? t : Number.NaN;
}
