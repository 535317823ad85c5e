import type { Rng } from '@oxels/core';
import type { RGB } from './MeshBuilder.ts';
import {
  pickColor,
  randomCeilingStyle,
  randomFloorStyle,
  randomWallStyle,
  type SurfaceStyle,
} from './surfacePatterns.ts';

/**
 * Room plans are laid out on a 1 dm integer grid (x, z in the floor plane; y up), so that floor,
 * walls and openings meet exactly and tessellate without slivers. DM converts to metres.
 */
export const DM = 0.1;

/** A straight wall along one footprint edge, seen from inside the room. */
export interface WallPlan {
  /** Start and end corners (x, z), dm; the room is on the left when walking from a to b, seen from above. */
  a: [number, number];
  b: [number, number];
  /** Length, dm. */
  length: number;
  /** Unit direction a -> b and inward normal, in (x, z). */
  dir: [number, number];
  inward: [number, number];
  /** Distance along the perimeter where this wall starts, dm (patterns run on around corners). */
  start: number;
}

/** A door, an open doorway into a short corridor stub, or a window, cut into one wall. */
export interface OpeningPlan {
  kind: 'door' | 'doorway' | 'window';
  wall: number;
  /** Span along the wall [s0, s1] and height [y0, y1], dm. */
  s0: number;
  s1: number;
  y0: number;
  y1: number;
  /** How far the recess goes behind the wall, metres (door leaf, window glass, or stub end). */
  depth: number;
}

/** Furniture-like fixtures that belong to the room mesh, as in SceneNN scans. */
export type FixturePlan =
  | { kind: 'column'; x0: number; z0: number; x1: number; z1: number; color: RGB }
  | {
      kind: 'shelf';
      wall: number;
      s0: number;
      s1: number;
      depth: number;
      height: number;
      boards: number;
      color: RGB;
    }
  | { kind: 'radiator'; wall: number; s0: number; s1: number; color: RGB }
  | { kind: 'ceilingLight'; x: number; z: number; size: number };

/** Everything that defines one procedural room; plain data, drawn from one seeded rng. */
export interface RoomPlan {
  id: string;
  /** Footprint corners (x, z), dm, counter-clockwise seen from above. */
  footprint: [number, number][];
  walls: WallPlan[];
  /** Floor-to-ceiling height, dm. */
  height: number;
  /** Floor grid subdivisions per dm (2: 5 cm cells). */
  floorSubdiv: number;
  /** Offset of the grid origin in the file's frame, metres (SceneNN rooms are not centred). */
  offset: [number, number];
  floor: SurfaceStyle;
  wall: SurfaceStyle;
  ceiling: SurfaceStyle | null;
  openings: OpeningPlan[];
  fixtures: FixturePlan[];
  doorColor: RGB;
  trimColor: RGB;
}

/** Point-in-polygon (even-odd) in the (x, z) plane. */
export function insideFootprint(poly: [number, number][], x: number, z: number): boolean {
  let inside = false;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    const [xi, zi] = poly[i];
    const [xj, zj] = poly[j];
    if (zi > z !== zj > z && x < ((xj - xi) * (z - zi)) / (zj - zi) + xi) inside = !inside;
  }
  return inside;
}

/** Signed area with the screen convention of a top view (x right, -z up): positive = counter-clockwise. */
function signedArea(poly: [number, number][]): number {
  let s = 0;
  for (let i = 0; i < poly.length; i++) {
    const [x0, z0] = poly[i];
    const [x1, z1] = poly[(i + 1) % poly.length];
    s += x0 * -z1 - x1 * -z0;
  }
  return s / 2;
}

/** A rectangle, or an L: the rectangle minus one corner block (both arms at least 2 m wide). */
function drawFootprint(rng: Rng): [number, number][] {
  const w = 30 + rng.int(51);
  const d = 30 + rng.int(41);
  let poly: [number, number][];
  if (rng.next() < 0.4) {
    const cw = Math.min(w - 20, Math.round(w * rng.uniform(0.3, 0.55)));
    const cd = Math.min(d - 20, Math.round(d * rng.uniform(0.3, 0.55)));
    // Cut the corner (w, d): an L whose arms are w - cw and d - cd wide.
    poly = [
      [0, 0],
      [w, 0],
      [w, d - cd],
      [w - cw, d - cd],
      [w - cw, d],
      [0, d],
    ];
    // Mirror so that the cut lands in any of the four corners.
    if (rng.next() < 0.5) poly = poly.map(([x, z]) => [w - x, z]);
    if (rng.next() < 0.5) poly = poly.map(([x, z]) => [x, d - z]);
  } else {
    poly = [
      [0, 0],
      [w, 0],
      [w, d],
      [0, d],
    ];
  }
  return signedArea(poly) > 0 ? poly : poly.reverse();
}

function wallsOf(poly: [number, number][]): WallPlan[] {
  let start = 0;
  return poly.map((a, i) => {
    const b = poly[(i + 1) % poly.length];
    const length = Math.abs(b[0] - a[0]) + Math.abs(b[1] - a[1]);
    const dir: [number, number] = [Math.sign(b[0] - a[0]), Math.sign(b[1] - a[1])];
    // Inward = Y x dir, i.e. (dz, -dx) in (x, z): the left of a counter-clockwise walk seen from above.
    const wall: WallPlan = { a, b, length, dir, inward: [dir[1], -dir[0]], start };
    start += length;
    return wall;
  });
}

/** Span [s0, s1] of `width` dm on a wall, clear of the taken spans by `gap` dm and of the wall ends by `margin`. */
function freeSpan(
  rng: Rng,
  length: number,
  width: number,
  taken: [number, number][],
  margin: number,
  gap: number,
): [number, number] | undefined {
  if (length - 2 * margin < width) return undefined;
  for (let attempt = 0; attempt < 12; attempt++) {
    const s0 = margin + rng.int(length - 2 * margin - width + 1);
    const s1 = s0 + width;
    if (taken.every(([t0, t1]) => s1 + gap <= t0 || s0 >= t1 + gap)) return [s0, s1];
  }
  return undefined;
}

/**
 * Draws a room: footprint (rectangle or L, 3-8 m a side), height 2.4-2.9 m, floor/wall/ceiling
 * styles, a door or open doorway, up to three windows, and fixtures (shelf with books, radiator,
 * column, ceiling light). Spans on walls never overlap, so fixtures do not cut openings.
 */
export function drawRoomPlan(rng: Rng, id: string): RoomPlan {
  const footprint = drawFootprint(rng);
  const walls = wallsOf(footprint);
  const height = 24 + rng.int(6);
  const taken: [number, number][][] = walls.map(() => []);
  const openings: OpeningPlan[] = [];

  const doorWalls = walls.map((w, i) => (w.length >= 16 ? i : -1)).filter((i) => i >= 0);
  const doorWall = doorWalls[rng.int(doorWalls.length)];
  const doorWidth = 8 + rng.int(3);
  const doorSpan = freeSpan(rng, walls[doorWall].length, doorWidth, [], 3, 0)!;
  const doorway = rng.next() < 0.35;
  openings.push({
    kind: doorway ? 'doorway' : 'door',
    wall: doorWall,
    s0: doorSpan[0],
    s1: doorSpan[1],
    y0: 0,
    y1: 20 + rng.int(2),
    depth: doorway ? rng.uniform(1.0, 1.6) : 0.05,
  });
  taken[doorWall].push(doorSpan);

  const windowCount = rng.int(4);
  for (let k = 0; k < windowCount; k++) {
    const wall = rng.int(walls.length);
    const span = freeSpan(rng, walls[wall].length, 8 + rng.int(9), taken[wall], 3, 3);
    if (!span) continue;
    const y0 = 8 + rng.int(3);
    openings.push({
      kind: 'window',
      wall,
      s0: span[0],
      s1: span[1],
      y0,
      y1: Math.min(height - 3, y0 + 10 + rng.int(5)),
      depth: 0.2,
    });
    taken[wall].push(span);
  }

  const fixtures: FixturePlan[] = [];
  const window = openings.find((o) => o.kind === 'window');
  if (rng.next() < 0.65) {
    if (window) {
      fixtures.push({
        kind: 'radiator',
        wall: window.wall,
        s0: window.s0,
        s1: window.s1,
        color: pickColor(rng, 'paints'),
      });
    } else {
      const wall = rng.int(walls.length);
      const span = freeSpan(rng, walls[wall].length, 6 + rng.int(8), taken[wall], 4, 2);
      if (span) {
        fixtures.push({ kind: 'radiator', wall, s0: span[0], s1: span[1], color: pickColor(rng, 'paints') });
        taken[wall].push(span);
      }
    }
  }
  if (rng.next() < 0.7) {
    const wall = rng.int(walls.length);
    // Away from the wall ends: at a concave corner the next wall would cut through the shelf.
    const span = freeSpan(rng, walls[wall].length, 8 + rng.int(9), taken[wall], 5, 2);
    if (span) {
      fixtures.push({
        kind: 'shelf',
        wall,
        s0: span[0],
        s1: span[1],
        depth: rng.uniform(0.28, 0.4),
        height: rng.uniform(1.2, 2.0),
        boards: 2 + rng.int(3),
        color: pickColor(rng, rng.next() < 0.6 ? 'woods' : 'paints'),
      });
      taken[wall].push(span);
    }
  }
  const xs = footprint.map((p) => p[0]);
  const zs = footprint.map((p) => p[1]);
  const [xMax, zMax] = [Math.max(...xs), Math.max(...zs)];
  if (rng.next() < 0.4) {
    const size = 3 + rng.int(3);
    for (let attempt = 0; attempt < 20; attempt++) {
      const x0 = 10 + rng.int(Math.max(1, xMax - 20 - size));
      const z0 = 10 + rng.int(Math.max(1, zMax - 20 - size));
      const clear = [-8, size + 8].every((dx) =>
        [-8, size + 8].every((dz) => insideFootprint(footprint, x0 + dx, z0 + dz)),
      );
      if (clear) {
        fixtures.push({
          kind: 'column',
          x0,
          z0,
          x1: x0 + size,
          z1: z0 + size,
          color: pickColor(rng, 'stones'),
        });
        break;
      }
    }
  }
  const ceiling = rng.next() < 0.85 ? randomCeilingStyle(rng) : null;
  if (ceiling && rng.next() < 0.75) {
    const x = Math.round(xMax / 2);
    const z = Math.round(zMax / 2);
    const hitsColumn = fixtures.some(
      (f) => f.kind === 'column' && x > f.x0 - 6 && x < f.x1 + 6 && z > f.z0 - 6 && z < f.z1 + 6,
    );
    if (insideFootprint(footprint, x, z) && !hitsColumn) {
      fixtures.push({ kind: 'ceilingLight', x, z, size: rng.uniform(0.4, 0.7) });
    }
  }
  const area = Math.abs(signedArea(footprint)) * DM * DM;
  return {
    id,
    footprint,
    walls,
    height,
    floorSubdiv: area <= 40 ? 2 : 1,
    offset: [rng.uniform(-3, 3), rng.uniform(-3, 3)],
    floor: randomFloorStyle(rng),
    wall: randomWallStyle(rng),
    ceiling,
    openings,
    fixtures,
    doorColor: pickColor(rng, rng.next() < 0.5 ? 'woods' : 'paints'),
    trimColor: pickColor(rng, 'paints'),
  };
}
