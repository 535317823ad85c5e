import { createRng, type Rng } from '@oxels/core';
import type { RoomLabel } from '../assets/Asset.ts';
import {
  add,
  addBox,
  addPatch,
  type BoxFaces,
  cross,
  dot,
  MeshBuilder,
  normalize,
  type RGB,
  scale,
  type V3,
} from './MeshBuilder.ts';
import { DM, insideFootprint, type OpeningPlan, type RoomPlan, type WallPlan } from './roomPlan.ts';
import { surfaceColor } from './surfacePatterns.ts';

const UP: V3 = [0, 1, 0];

/** Instance labels of one room, numbered from 1 in creation order (0 = unlabelled). */
class LabelTable {
  readonly labels: RoomLabel[] = [];
  add(text: string, nyuClass: string): number {
    const id = this.labels.length + 1;
    this.labels.push({ id, text, nyuClass });
    return id;
  }
}

function tint(c: RGB, f: number): RGB {
  return [Math.min(1, c[0] * f), Math.min(1, c[1] * f), Math.min(1, c[2] * f)];
}

/**
 * Adds an ni x nj grid origin + i*eu + j*ev of cells for which `include(i, j)` holds, sharing
 * vertices between neighbouring cells (as a scanned mesh does) and creating only the vertices
 * that are used; the front side faces `facing`.
 */
function addMaskedGrid(
  mesh: MeshBuilder,
  origin: V3,
  eu: V3,
  ev: V3,
  ni: number,
  nj: number,
  facing: V3,
  include: (i: number, j: number) => boolean,
  colorAt: (i: number, j: number) => RGB,
  label: number,
): void {
  const flip = dot(cross(eu, ev), facing) < 0;
  const normal = normalize(scale(cross(eu, ev), flip ? -1 : 1));
  const ids = new Int32Array((ni + 1) * (nj + 1)).fill(-1);
  const vertex = (i: number, j: number): number => {
    const k = j * (ni + 1) + i;
    if (ids[k] < 0) {
      ids[k] = mesh.addVertex({
        position: add(origin, add(scale(eu, i), scale(ev, j))),
        normal,
        color: colorAt(i, j),
        label,
      });
    }
    return ids[k];
  };
  for (let j = 0; j < nj; j++) {
    for (let i = 0; i < ni; i++) {
      if (!include(i, j)) continue;
      const a = vertex(i, j);
      const b = vertex(i + 1, j);
      const c = vertex(i + 1, j + 1);
      const d = vertex(i, j + 1);
      if (flip) {
        mesh.addTriangle(a, c, b);
        mesh.addTriangle(a, d, c);
      } else {
        mesh.addTriangle(a, b, c);
        mesh.addTriangle(a, c, d);
      }
    }
  }
}

/** Builds the geometry of a plan; every position is in metres, in the file's frame. */
class RoomMeshBuilder {
  readonly mesh = new MeshBuilder();
  readonly table = new LabelTable();
  private readonly rng: Rng;
  private floorLabel = 0;

  constructor(
    private readonly plan: RoomPlan,
    detailSeed: number,
  ) {
    this.rng = createRng(detailSeed);
  }

  /** Grid point (x, z in dm, y in dm) -> metres. */
  private point(x: number, y: number, z: number): V3 {
    return [x * DM + this.plan.offset[0], y * DM, z * DM + this.plan.offset[1]];
  }

  /** Wall-local (s along, d inward, y up; metres) -> file frame. */
  private wallPoint(w: WallPlan, s: number, d: number, y: number): V3 {
    const a = this.point(w.a[0], 0, w.a[1]);
    return [a[0] + w.dir[0] * s + w.inward[0] * d, y, a[2] + w.dir[1] * s + w.inward[1] * d];
  }

  /** Adds a box given in wall-local coordinates, without the side that touches the wall. */
  private wallBox(
    w: WallPlan,
    s: [number, number],
    d: [number, number],
    y: [number, number],
    color: RGB,
    label: number,
  ): void {
    const p = this.wallPoint(w, s[0], d[0], y[0]);
    const q = this.wallPoint(w, s[1], d[1], y[1]);
    const faces: BoxFaces = {};
    if (w.inward[0] === 1) faces.minX = false;
    if (w.inward[0] === -1) faces.maxX = false;
    if (w.inward[1] === 1) faces.minZ = false;
    if (w.inward[1] === -1) faces.maxZ = false;
    if (y[0] <= 0) faces.bottom = false;
    const min: V3 = [Math.min(p[0], q[0]), Math.min(p[1], q[1]), Math.min(p[2], q[2])];
    const max: V3 = [Math.max(p[0], q[0]), Math.max(p[1], q[1]), Math.max(p[2], q[2])];
    addBox(this.mesh, min, max, { color: () => color, label, faces });
  }

  build(): void {
    this.addFloorAndCeiling();
    this.plan.walls.forEach((w, i) => {
      this.addWall(w, i);
    });
    for (const o of this.plan.openings) this.addOpening(o);
    this.addBaseboards();
    for (const f of this.plan.fixtures) this.addFixture(f);
  }

  private addFloorAndCeiling(): void {
    const { plan, mesh } = this;
    const w = Math.max(...plan.footprint.map((p) => p[0]));
    const d = Math.max(...plan.footprint.map((p) => p[1]));
    const sub = plan.floorSubdiv;
    const step = DM / sub;
    const floorColor = surfaceColor(plan.floor, step);
    this.floorLabel = this.table.add('floor', 'floor');
    addMaskedGrid(
      mesh,
      this.point(0, 0, 0),
      [step, 0, 0],
      [0, 0, step],
      w * sub,
      d * sub,
      UP,
      (i, j) => insideFootprint(plan.footprint, (i + 0.5) / sub, (j + 0.5) / sub),
      (i, j) => floorColor(i * step, j * step),
      this.floorLabel,
    );
    if (!plan.ceiling) return;
    const ceilingColor = surfaceColor(plan.ceiling, DM);
    addMaskedGrid(
      mesh,
      this.point(0, plan.height, 0),
      [DM, 0, 0],
      [0, 0, DM],
      w,
      d,
      [0, -1, 0],
      (i, j) => insideFootprint(plan.footprint, i + 0.5, j + 0.5),
      (i, j) => ceilingColor(i * DM, j * DM),
      this.table.add('ceiling', 'ceiling'),
    );
  }

  private addWall(w: WallPlan, index: number): void {
    const color = surfaceColor(this.plan.wall, DM);
    const openings = this.plan.openings.filter((o) => o.wall === index);
    addMaskedGrid(
      this.mesh,
      this.point(w.a[0], 0, w.a[1]),
      [w.dir[0] * DM, 0, w.dir[1] * DM],
      [0, DM, 0],
      w.length,
      this.plan.height,
      [w.inward[0], 0, w.inward[1]],
      (i, j) => !openings.some((o) => i >= o.s0 && i < o.s1 && j >= o.y0 && j < o.y1),
      (i, j) => color((w.start + i) * DM, j * DM),
      this.table.add('wall', 'wall'),
    );
  }

  /** Reveals (jambs, head, sill) of an opening and what closes it at `depth` behind the wall. */
  private addOpening(o: OpeningPlan): void {
    const { plan, mesh } = this;
    const w = plan.walls[o.wall];
    const along: V3 = [w.dir[0], 0, w.dir[1]];
    const inward: V3 = [w.inward[0], 0, w.inward[1]];
    const out = scale(inward, -o.depth);
    const [s0, s1, y0, y1] = [o.s0 * DM, o.s1 * DM, o.y0 * DM, o.y1 * DM];
    const width = s1 - s0;
    const height = y1 - y0;
    const corner = this.wallPoint(w, s0, 0, y0);
    const nDepth = Math.max(1, Math.round(o.depth / DM));
    const nW = Math.round(width / DM);
    const nH = Math.round(height / DM);
    const side = o.kind === 'window' ? tint(plan.trimColor, 0.92) : plan.trimColor;
    const label =
      o.kind === 'doorway'
        ? this.table.add('wall', 'wall')
        : o.kind === 'door'
          ? this.table.add('door', 'door')
          : this.table.add('window', 'window');
    const wallColor = surfaceColor(plan.wall, DM);
    const sideColor =
      o.kind === 'doorway' ? (u: number, v: number) => wallColor(u * o.depth, v * height) : () => side;
    const jamb = (s: number, facing: V3) =>
      addPatch(mesh, this.wallPoint(w, s, 0, y0), out, [0, height, 0], facing, {
        nu: nDepth,
        nv: nH,
        color: sideColor,
        label,
      });
    jamb(s0, along);
    jamb(s1, scale(along, -1));
    addPatch(mesh, this.wallPoint(w, s0, 0, y1), scale(along, width), out, [0, -1, 0], {
      nu: nW,
      nv: nDepth,
      color: () => (o.kind === 'doorway' && plan.ceiling ? [0.93, 0.93, 0.91] : side),
      label,
    });
    const floorColor = surfaceColor(plan.floor, DM);
    addPatch(mesh, corner, scale(along, width), out, UP, {
      nu: nW,
      nv: nDepth,
      color: o.y0 === 0 ? (u, v) => floorColor(u * width, v * o.depth) : () => side,
      label: o.y0 === 0 ? this.floorLabel : label,
    });
    const back = add(corner, out);
    if (o.kind === 'window') {
      addPatch(mesh, back, scale(along, width), [0, height, 0], inward, {
        nu: nW,
        nv: nH,
        // Sky-like gradient with a cross mullion: glass seen from inside on a bright day.
        color: (u, v) =>
          Math.abs(u - 0.5) * nW < 0.5 || Math.abs(v - 0.5) * nH < 0.5
            ? [0.95, 0.95, 0.95]
            : [0.78 - 0.3 * v, 0.86 - 0.2 * v, 0.97 - 0.05 * v],
        label,
      });
      this.wallBox(w, [s0 - 0.05, s1 + 0.05], [0, 0.05], [y0 - 0.03, y0], tint(side, 0.95), label);
      return;
    }
    if (o.kind === 'door') {
      // Door leaf with two recessed panels, and a handle.
      addPatch(mesh, back, scale(along, width), [0, height, 0], inward, {
        nu: nW,
        nv: nH,
        color: (u, v) => {
          const x = u * width;
          const y = v * height;
          const inPanel =
            x > 0.12 && x < width - 0.12 && ((y > 0.15 && y < 0.95) || (y > 1.1 && y < height - 0.15));
          return inPanel ? tint(plan.doorColor, 0.85) : plan.doorColor;
        },
        label,
      });
      const h = s1 - 0.1;
      this.wallBox(w, [h - 0.1, h], [-o.depth, -o.depth + 0.06], [0.98, 1.02], [0.75, 0.72, 0.65], label);
    } else {
      addPatch(mesh, back, scale(along, width), [0, height, 0], inward, {
        nu: nW,
        nv: nH,
        color: (u, v) => wallColor(u * width, v * height),
        label,
      });
    }
    // Frame trim around the door or doorway.
    const t = 0.07;
    const trim = tint(plan.trimColor, 0.97);
    this.wallBox(w, [s0 - t, s0], [0, 0.02], [0, y1 + t], trim, label);
    this.wallBox(w, [s1, s1 + t], [0, 0.02], [0, y1 + t], trim, label);
    this.wallBox(w, [s0 - t, s1 + t], [0, 0.02], [y1, y1 + t], trim, label);
  }

  /** Skirting along every wall, interrupted by doors and doorways. */
  private addBaseboards(): void {
    const label = this.table.add('baseboard', 'otherstructure');
    this.plan.walls.forEach((w, index) => {
      const cuts = this.plan.openings
        .filter((o) => o.wall === index && o.y0 === 0)
        .map((o) => [(o.s0 - 0.7) * DM, (o.s1 + 0.7) * DM] as const)
        .sort((a, b) => a[0] - b[0]);
      let s = 0;
      for (const [c0, c1] of [...cuts, [w.length * DM, w.length * DM] as const]) {
        if (c0 - s > 0.05) this.wallBox(w, [s, c0], [0, 0.015], [0, 0.08], this.plan.trimColor, label);
        s = c1;
      }
    });
  }

  private addFixture(f: RoomPlan['fixtures'][number]): void {
    const { plan, rng } = this;
    switch (f.kind) {
      case 'column': {
        const label = this.table.add('column', 'otherstructure');
        addBox(this.mesh, this.point(f.x0, 0, f.z0), this.point(f.x1, plan.height, f.z1), {
          color: () => f.color,
          label,
          faces: { top: false, bottom: false },
        });
        return;
      }
      case 'ceilingLight': {
        const label = this.table.add('light', 'lamp');
        const c = this.point(f.x, plan.height, f.z);
        const h = f.size / 2;
        addBox(this.mesh, [c[0] - h, c[1] - 0.05, c[2] - h], [c[0] + h, c[1], c[2] + h], {
          color: () => [1, 0.97, 0.88],
          label,
          faces: { top: false },
        });
        return;
      }
      case 'radiator': {
        const label = this.table.add('radiator', 'otherfurniture');
        const w = plan.walls[f.wall];
        const [s0, s1] = [f.s0 * DM + 0.05, f.s1 * DM - 0.05];
        for (let s = s0; s + 0.05 <= s1 + 1e-9; s += 0.08) {
          this.wallBox(w, [s, s + 0.05], [0.04, 0.12], [0.12, 0.72], f.color, label);
        }
        this.wallBox(w, [s0, s1], [0.02, 0.04], [0.64, 0.68], tint(f.color, 0.9), label);
        return;
      }
      case 'shelf': {
        const label = this.table.add('shelf', 'shelves');
        const books = this.table.add('books', 'books');
        const w = plan.walls[f.wall];
        const [s0, s1] = [f.s0 * DM, f.s1 * DM];
        const board = 0.02;
        this.wallBox(w, [s0, s0 + board], [0, f.depth], [0, f.height], f.color, label);
        this.wallBox(w, [s1 - board, s1], [0, f.depth], [0, f.height], f.color, label);
        this.wallBox(w, [s0, s1], [0, 0.01], [0, f.height], tint(f.color, 0.8), label);
        const levels = f.boards + 1;
        for (let k = 0; k <= levels; k++) {
          const y = 0.06 + ((f.height - 0.08) * k) / levels;
          this.wallBox(w, [s0 + board, s1 - board], [0.01, f.depth], [y, y + board], f.color, label);
          if (k === levels) break;
          const room = (f.height - 0.08) / levels - board - 0.03;
          // Books of random widths and heights, leaving gaps, as found on real shelves.
          for (let s = s0 + board + 0.01; ; ) {
            const bw = rng.uniform(0.02, 0.05);
            if (s + bw > s1 - board - 0.01) break;
            if (rng.next() < 0.8) {
              const bh = Math.min(room, rng.uniform(0.15, 0.3));
              const bd = Math.min(f.depth - 0.04, rng.uniform(0.15, 0.24));
              const color: RGB = [rng.uniform(0.1, 0.85), rng.uniform(0.1, 0.7), rng.uniform(0.1, 0.7)];
              this.wallBox(w, [s, s + bw], [0.02, 0.02 + bd], [y + board, y + board + bh], color, books);
            }
            s += bw + (rng.next() < 0.1 ? rng.uniform(0.03, 0.1) : 0.002);
          }
        }
        return;
      }
    }
  }
}

/** A room mesh ready to write: vertices with colour and label, and the instance annotations. */
export interface RoomMesh {
  mesh: MeshBuilder;
  /** Labels with the bounding box of their vertices (labels without vertices are dropped). */
  labels: RoomLabel[];
}

/**
 * Tessellates a room plan: floor (5 or 10 cm cells), walls and ceiling (10 cm) as shared-vertex
 * grids carrying the patterns, openings with reveals, trims, baseboards and fixtures, all faces
 * turned towards the inside of the room.
 *
 * @param detailSeed seeds small details the plan leaves open (the books on shelves)
 */
export function buildRoomMesh(plan: RoomPlan, detailSeed: number): RoomMesh {
  const b = new RoomMeshBuilder(plan, detailSeed);
  b.build();
  const { mesh } = b;
  const boxes = new Map<number, { min: V3; max: V3 }>();
  for (let v = 0; v < mesh.vertexCount; v++) {
    const id = mesh.labels[v];
    let box = boxes.get(id);
    if (!box) {
      box = { min: [Infinity, Infinity, Infinity], max: [-Infinity, -Infinity, -Infinity] };
      boxes.set(id, box);
    }
    for (let c = 0; c < 3; c++) {
      box.min[c] = Math.min(box.min[c], mesh.positions[3 * v + c]);
      box.max[c] = Math.max(box.max[c], mesh.positions[3 * v + c]);
    }
  }
  const labels = b.table.labels.filter((l) => boxes.has(l.id)).map((l) => ({ ...l, aabb: boxes.get(l.id)! }));
  return { mesh, labels };
}
