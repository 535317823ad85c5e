import {
  add,
  addPatch,
  cross,
  dot,
  type MeshBuilder,
  normalize,
  scale,
  sub,
  type V3,
} from './MeshBuilder.ts';

/**
 * Shape primitives of the procedural objects. Every primitive writes vertices with normals and
 * uv in [0, 1] into `mesh`, to the triangle group `group` (the material name), with outward faces.
 */

/** Adds quad (a, b, c, d) as two triangles, wound so that the front faces `facing`. */
function addQuad(mesh: MeshBuilder, q: [number, number, number, number], facing: V3, group: string): void {
  const p = (i: number): V3 => [mesh.positions[3 * i], mesh.positions[3 * i + 1], mesh.positions[3 * i + 2]];
  const [a, b, c, d] = q;
  // The cross product of the diagonals is non-zero even when one edge has collapsed (apex of a cone).
  const n = cross(sub(p(c), p(a)), sub(p(d), p(b)));
  if (dot(n, facing) >= 0) {
    mesh.addTriangle(a, b, c, group);
    mesh.addTriangle(a, c, d, group);
  } else {
    mesh.addTriangle(a, c, b, group);
    mesh.addTriangle(a, d, c, group);
  }
}

/**
 * Adds a box with centre `c` and half-axis vectors ex, ey, ez (orthogonal; any orientation), so
 * that tilted backrests and slanted legs are boxes too.
 */
export function orientedBox(mesh: MeshBuilder, c: V3, ex: V3, ey: V3, ez: V3, group: string): void {
  const axes = [ex, ey, ez];
  for (let k = 0; k < 3; k++) {
    const i = (k + 1) % 3;
    const j = (k + 2) % 3;
    for (const s of [-1, 1]) {
      const faceCentre = add(c, scale(axes[k], s));
      const origin = sub(sub(faceCentre, axes[i]), axes[j]);
      addPatch(mesh, origin, scale(axes[i], 2), scale(axes[j], 2), scale(axes[k], s), { group });
    }
  }
}

/** Adds an axis-aligned box [min, max]. */
export function box(mesh: MeshBuilder, min: V3, max: V3, group: string): void {
  const c: V3 = [(min[0] + max[0]) / 2, (min[1] + max[1]) / 2, (min[2] + max[2]) / 2];
  orientedBox(
    mesh,
    c,
    [(max[0] - min[0]) / 2, 0, 0],
    [0, (max[1] - min[1]) / 2, 0],
    [0, 0, (max[2] - min[2]) / 2],
    group,
  );
}

/** Adds a square-section beam of half width `hw` from p0 to p1 (legs, arms, rails). */
export function beam(mesh: MeshBuilder, p0: V3, p1: V3, hw: number, group: string): void {
  const axis = sub(p1, p0);
  const dir = normalize(axis);
  const helper: V3 = Math.abs(dir[1]) < 0.9 ? [0, 1, 0] : [1, 0, 0];
  const u = normalize(cross(dir, helper));
  const v = cross(dir, u);
  orientedBox(mesh, scale(add(p0, p1), 0.5), scale(u, hw), scale(axis, 0.5), scale(v, hw), group);
}

/** Options of lathe. */
export interface LatheOptions {
  /** Segments around the axis (default 24). */
  segments?: number;
  /** Material of profile edge k (default: `group` for all). */
  groupOf?: (edge: number) => string;
  /** Edges meeting at a sharper angle than this keep separate normals (default 40 degrees). */
  creaseAngle?: number;
  /** v runs 0..1 along each edge instead of along the whole profile (a label wrapped on one band). */
  uvPerEdge?: boolean;
}

/**
 * Adds a surface of revolution about the vertical axis through `base`: profile points (r, y) in
 * metres relative to `base`. The outward side is to the right of the profile's direction (walk
 * from the bottom centre outwards and up for an outer surface; back down inside for a cavity).
 * uv: u = angle / 2 pi, v = arc length along the profile / total length.
 */
export function lathe(
  mesh: MeshBuilder,
  base: V3,
  profile: [number, number][],
  group: string,
  o: LatheOptions = {},
): void {
  const segments = o.segments ?? 24;
  const crease = Math.cos(((o.creaseAngle ?? 40) * Math.PI) / 180);
  const edgeNormals = profile.slice(0, -1).map(([r0, y0], k) => {
    const [r1, y1] = profile[k + 1];
    const len = Math.hypot(r1 - r0, y1 - y0) || 1;
    return [(y1 - y0) / len, -(r1 - r0) / len] as [number, number];
  });
  const lengths = edgeNormals.map((_, k) =>
    Math.hypot(profile[k + 1][0] - profile[k][0], profile[k + 1][1] - profile[k][1]),
  );
  const total = lengths.reduce((a, b) => a + b, 0) || 1;
  const endNormal = (k: number, atStart: boolean): [number, number] => {
    const n = edgeNormals[k];
    const other = edgeNormals[atStart ? k - 1 : k + 1];
    if (!other || n[0] * other[0] + n[1] * other[1] < crease) return n;
    const m = [n[0] + other[0], n[1] + other[1]];
    const len = Math.hypot(m[0], m[1]) || 1;
    return [m[0] / len, m[1] / len];
  };
  let arc = 0;
  for (let k = 0; k < edgeNormals.length; k++) {
    const g = o.groupOf?.(k) ?? group;
    const rings: number[][] = [];
    for (const [end, atStart] of [
      [k, true],
      [k + 1, false],
    ] as const) {
      const [r, y] = profile[end];
      const [nr, ny] = endNormal(k, atStart);
      const v = o.uvPerEdge ? (atStart ? 0 : 1) : (arc + (atStart ? 0 : lengths[k])) / total;
      const ring: number[] = [];
      for (let s = 0; s <= segments; s++) {
        const t = (2 * Math.PI * s) / segments;
        const cos = Math.cos(t);
        const sin = Math.sin(t);
        ring.push(
          mesh.addVertex({
            position: [base[0] + r * cos, base[1] + y, base[2] + r * sin],
            normal: [nr * cos, ny, nr * sin],
            uv: [s / segments, v],
          }),
        );
      }
      rings.push(ring);
    }
    const [n0, n1] = edgeNormals[k];
    for (let s = 0; s < segments; s++) {
      const t = (2 * Math.PI * (s + 0.5)) / segments;
      addQuad(
        mesh,
        [rings[0][s], rings[0][s + 1], rings[1][s + 1], rings[1][s]],
        [n0 * Math.cos(t), n1, n0 * Math.sin(t)],
        g,
      );
    }
    arc += lengths[k];
  }
}

/** Adds a closed vertical cylinder (caps included) standing on `base`. */
export function cylinder(
  mesh: MeshBuilder,
  base: V3,
  radius: number,
  height: number,
  group: string,
  segments = 24,
): void {
  lathe(
    mesh,
    base,
    [
      [0, 0],
      [radius, 0],
      [radius, height],
      [0, height],
    ],
    group,
    { segments },
  );
}

/** Adds a sphere (a lathe of a half circle). */
export function sphere(mesh: MeshBuilder, centre: V3, radius: number, group: string, segments = 16): void {
  const profile: [number, number][] = [];
  for (let i = 0; i <= segments / 2; i++) {
    const a = -Math.PI / 2 + (Math.PI * i) / (segments / 2);
    profile.push([radius * Math.cos(a), radius * Math.sin(a)]);
  }
  profile[0][0] = 0;
  profile[profile.length - 1][0] = 0;
  lathe(mesh, centre, profile, group, { segments, creaseAngle: 90 });
}

/**
 * Adds a tube of radius `minor` along a circular arc of radius `major` in the plane spanned by
 * `ex` and `ey` (unit, orthogonal) around `centre`, from angle a0 to a1 (radians): mug and
 * teapot handles.
 */
export function torusArc(
  mesh: MeshBuilder,
  centre: V3,
  ex: V3,
  ey: V3,
  major: number,
  minor: number,
  a0: number,
  a1: number,
  group: string,
): void {
  const along = 16;
  const around = 10;
  const ez = cross(ex, ey);
  const ids: number[][] = [];
  for (let i = 0; i <= along; i++) {
    const a = a0 + ((a1 - a0) * i) / along;
    const radial = add(scale(ex, Math.cos(a)), scale(ey, Math.sin(a)));
    const spine = add(centre, scale(radial, major));
    const row: number[] = [];
    for (let j = 0; j <= around; j++) {
      const b = (2 * Math.PI * j) / around;
      const n = add(scale(radial, Math.cos(b)), scale(ez, Math.sin(b)));
      row.push(
        mesh.addVertex({ position: add(spine, scale(n, minor)), normal: n, uv: [i / along, j / around] }),
      );
    }
    ids.push(row);
  }
  for (let i = 0; i < along; i++) {
    for (let j = 0; j < around; j++) {
      const q: [number, number, number, number] = [
        ids[i][j],
        ids[i + 1][j],
        ids[i + 1][j + 1],
        ids[i][j + 1],
      ];
      const n = mesh.normals.slice(3 * q[0], 3 * q[0] + 3) as V3;
      addQuad(mesh, q, n, group);
    }
  }
}
