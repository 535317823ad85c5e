/** A 3-vector as a plain tuple (metres unless said otherwise). */
export type V3 = [number, number, number];
/** An sRGB colour, components in [0, 1]. */
export type RGB = [number, number, number];

/** One vertex as the builder stores it. Unset attributes are written as neutral values. */
export interface VertexData {
  position: V3;
  normal?: V3;
  uv?: [number, number];
  color?: RGB;
  /** Instance label (rooms). */
  label?: number;
}

/**
 * An indexed triangle mesh being built by the procedural generators: vertices with position and
 * optional normal, uv, colour and label, triangles gathered by group (the material name for OBJ
 * files, ignored for PLY). Insertion order is kept everywhere, so output files are deterministic.
 */
export class MeshBuilder {
  readonly positions: number[] = [];
  readonly normals: number[] = [];
  readonly uvs: number[] = [];
  readonly colors: number[] = [];
  readonly labels: number[] = [];
  /** Triangle vertex indices by group name, in first-use order. */
  readonly groups = new Map<string, number[]>();

  get vertexCount(): number {
    return this.positions.length / 3;
  }

  get triangleCount(): number {
    let n = 0;
    for (const tris of this.groups.values()) n += tris.length / 3;
    return n;
  }

  /** Appends a vertex and returns its index. */
  addVertex(v: VertexData): number {
    this.positions.push(v.position[0], v.position[1], v.position[2]);
    const n = v.normal ?? [0, 1, 0];
    this.normals.push(n[0], n[1], n[2]);
    const uv = v.uv ?? [0, 0];
    this.uvs.push(uv[0], uv[1]);
    const c = v.color ?? [1, 1, 1];
    this.colors.push(c[0], c[1], c[2]);
    this.labels.push(v.label ?? 0);
    return this.vertexCount - 1;
  }

  /** Appends triangle (a, b, c), counter-clockwise seen from its front, to `group`. */
  addTriangle(a: number, b: number, c: number, group = ''): void {
    let tris = this.groups.get(group);
    if (!tris) {
      tris = [];
      this.groups.set(group, tris);
    }
    tris.push(a, b, c);
  }

  /** Applies `f` to every position in place (normals are left alone: use it for translations and uniform scales). */
  mapPositions(f: (p: V3) => V3): void {
    for (let i = 0; i < this.positions.length; i += 3) {
      const p = f([this.positions[i], this.positions[i + 1], this.positions[i + 2]]);
      this.positions[i] = p[0];
      this.positions[i + 1] = p[1];
      this.positions[i + 2] = p[2];
    }
  }

  /** Axis-aligned bounds of all vertices. */
  bounds(): { min: V3; max: V3 } {
    const min: V3 = [Infinity, Infinity, Infinity];
    const max: V3 = [-Infinity, -Infinity, -Infinity];
    for (let i = 0; i < this.positions.length; i += 3) {
      for (let c = 0; c < 3; c++) {
        min[c] = Math.min(min[c], this.positions[i + c]);
        max[c] = Math.max(max[c], this.positions[i + c]);
      }
    }
    return { min, max };
  }
}

/** a + b */
export function add(a: V3, b: V3): V3 {
  return [a[0] + b[0], a[1] + b[1], a[2] + b[2]];
}

/** a - b */
export function sub(a: V3, b: V3): V3 {
  return [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
}

/** a * s */
export function scale(a: V3, s: number): V3 {
  return [a[0] * s, a[1] * s, a[2] * s];
}

/** a x b */
export function cross(a: V3, b: V3): V3 {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}

/** a . b */
export function dot(a: V3, b: V3): number {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

/** a / |a| (a must not be zero). */
export function normalize(a: V3): V3 {
  return scale(a, 1 / Math.hypot(a[0], a[1], a[2]));
}

/** Options of addPatch. */
export interface PatchOptions {
  /** Subdivisions along `eu` and `ev` (default 1 x 1). */
  nu?: number;
  nv?: number;
  /** Colour at patch coordinates (u, v) in [0, 1]^2; default white. */
  color?: (u: number, v: number) => RGB;
  label?: number;
  group?: string;
  /** Texture coordinates of the corners: uv = uvScale * (u, v) (default 1, 1). */
  uvScale?: [number, number];
}

/**
 * Adds a flat parallelogram origin + u*eu + v*ev (u, v in [0, 1]) as an nu x nv grid with shared
 * vertices, facing `facing`: the winding is chosen so that the front side (and the normal) points
 * to the side of `facing`. Used for walls, floors, box faces, reveals.
 */
export function addPatch(
  mesh: MeshBuilder,
  origin: V3,
  eu: V3,
  ev: V3,
  facing: V3,
  o: PatchOptions = {},
): void {
  const nu = o.nu ?? 1;
  const nv = o.nv ?? 1;
  let n = cross(eu, ev);
  const flip = dot(n, facing) < 0;
  if (flip) n = scale(n, -1);
  const normal = normalize(n);
  const [su, sv] = o.uvScale ?? [1, 1];
  const base = mesh.vertexCount;
  for (let j = 0; j <= nv; j++) {
    for (let i = 0; i <= nu; i++) {
      const u = i / nu;
      const v = j / nv;
      mesh.addVertex({
        position: add(origin, add(scale(eu, u), scale(ev, v))),
        normal,
        uv: [u * su, v * sv],
        color: o.color?.(u, v),
        label: o.label,
      });
    }
  }
  for (let j = 0; j < nv; j++) {
    for (let i = 0; i < nu; i++) {
      const a = base + j * (nu + 1) + i;
      const b = a + 1;
      const c = a + nu + 2;
      const d = a + nu + 1;
      // (a, b, c) has normal along eu x ev; reversed when the patch must face the other way.
      if (flip) {
        mesh.addTriangle(a, c, b, o.group);
        mesh.addTriangle(a, d, c, o.group);
      } else {
        mesh.addTriangle(a, b, c, o.group);
        mesh.addTriangle(a, c, d, o.group);
      }
    }
  }
}

/** Which faces of a box to emit (all by default); e.g. leave out the one against a wall. */
export interface BoxFaces {
  bottom?: boolean;
  top?: boolean;
  minX?: boolean;
  maxX?: boolean;
  minZ?: boolean;
  maxZ?: boolean;
}

/**
 * Adds an axis-aligned box [min, max] with outward-facing sides, 4 vertices per side (so that
 * normals and colours stay flat per side).
 */
export function addBox(
  mesh: MeshBuilder,
  min: V3,
  max: V3,
  o: Omit<PatchOptions, 'nu' | 'nv'> & { faces?: BoxFaces } = {},
): void {
  const [x0, y0, z0] = min;
  const [x1, y1, z1] = max;
  const dx: V3 = [x1 - x0, 0, 0];
  const dy: V3 = [0, y1 - y0, 0];
  const dz: V3 = [0, 0, z1 - z0];
  const f = { bottom: true, top: true, minX: true, maxX: true, minZ: true, maxZ: true, ...o.faces };
  if (f.bottom) addPatch(mesh, [x0, y0, z0], dx, dz, [0, -1, 0], o);
  if (f.top) addPatch(mesh, [x0, y1, z0], dx, dz, [0, 1, 0], o);
  if (f.minX) addPatch(mesh, [x0, y0, z0], dz, dy, [-1, 0, 0], o);
  if (f.maxX) addPatch(mesh, [x1, y0, z0], dz, dy, [1, 0, 0], o);
  if (f.minZ) addPatch(mesh, [x0, y0, z0], dx, dy, [0, 0, -1], o);
  if (f.maxZ) addPatch(mesh, [x0, y0, z1], dx, dy, [0, 0, 1], o);
}
