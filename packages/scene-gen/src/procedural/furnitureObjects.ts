import type { Rng } from '@oxels/core';
import type { RGB, V3 } from './MeshBuilder.ts';
import { ObjectBuilder } from './ObjectBuilder.ts';
import { beam, box, cylinder, orientedBox } from './objectPrimitives.ts';
import { pickColor } from './surfacePatterns.ts';

/**
 * Procedural furniture, built in metres at real sizes, +Y up, front towards -Z, standing on y = 0
 * (normalizeShapeNet rescales afterwards). Each builder draws its proportions and style from `rng`.
 */

const METALS: RGB[] = [
  [0.2, 0.2, 0.22],
  [0.7, 0.7, 0.72],
  [0.72, 0.58, 0.3],
];

function metal(o: ObjectBuilder, rng: Rng): string {
  return o.material('metal', METALS[rng.int(METALS.length)], 0.9);
}

/** Wood, textured most of the time (the texture carries the grain, Kd the species). */
function wood(o: ObjectBuilder, rng: Rng, name = 'wood'): string {
  return o.material(name, pickColor(rng, 'woods'), 0.2, rng.next() < 0.7 ? 'wood' : undefined);
}

/** Chair: four (possibly splayed) legs, seat, solid or slatted back tilted backwards, optional arms. */
export function buildChair(rng: Rng): ObjectBuilder {
  const o = new ObjectBuilder(rng);
  const frame = rng.next() < 0.7 ? wood(o, rng, 'frame') : metal(o, rng);
  const seatMat = rng.next() < 0.5 ? o.material('cushion', pickColor(rng, 'fabrics'), 0, 'fabric') : frame;
  const sw = rng.uniform(0.4, 0.5);
  const sd = rng.uniform(0.4, 0.48);
  const sh = rng.uniform(0.42, 0.48);
  const st = rng.uniform(0.03, 0.06);
  const hw = rng.uniform(0.014, 0.024);
  const splay = rng.uniform(0, 0.03);
  for (const sx of [-1, 1]) {
    for (const sz of [-1, 1]) {
      const top: V3 = [sx * (sw / 2 - hw), sh - st, sz * (sd / 2 - hw)];
      beam(o.mesh, [top[0] + sx * splay, 0, top[2] + sz * splay], top, hw, frame);
    }
  }
  box(o.mesh, [-sw / 2, sh - st, -sd / 2], [sw / 2, sh, sd / 2], seatMat);
  const bh = rng.uniform(0.35, 0.5);
  const tilt = rng.uniform(0.02, 0.2);
  const up: V3 = [0, Math.cos(tilt), Math.sin(tilt)];
  const back = (dx: number, halfWidth: number, height: number): void => {
    const c: V3 = [dx, sh + (up[1] * height) / 2, sd / 2 - 0.015 + (up[2] * height) / 2];
    orientedBox(
      o.mesh,
      c,
      [halfWidth, 0, 0],
      [0, (up[1] * height) / 2, (up[2] * height) / 2],
      [0, -0.015 * up[2], 0.015 * up[1]],
      frame,
    );
  };
  if (rng.next() < 0.5) {
    back(0, sw / 2, bh);
  } else {
    back(-(sw / 2 - hw), hw, bh);
    back(sw / 2 - hw, hw, bh);
    const slats = 3 + rng.int(3);
    for (let k = 0; k < slats; k++) back(-sw / 2 + ((k + 1) * sw) / (slats + 1), 0.012, bh * 0.85);
    const c: V3 = [0, sh + up[1] * bh * 0.92, sd / 2 - 0.015 + up[2] * bh * 0.92];
    orientedBox(
      o.mesh,
      c,
      [sw / 2, 0, 0],
      [0, up[1] * 0.04, up[2] * 0.04],
      [0, -0.016 * up[2], 0.016 * up[1]],
      frame,
    );
  }
  if (rng.next() < 0.3) {
    for (const sx of [-1, 1]) {
      const x = sx * (sw / 2 + 0.02);
      beam(o.mesh, [x, sh, -sd / 2 + 0.04], [x, sh + 0.22, -sd / 2 + 0.04], 0.015, frame);
      beam(o.mesh, [x, sh + 0.22, -sd / 2 + 0.02], [x, sh + 0.22, sd / 2], 0.02, frame);
    }
  }
  return o;
}

/** Table: rectangular top on four legs (with or without apron), or a round top on a pedestal. */
export function buildTable(rng: Rng): ObjectBuilder {
  const o = new ObjectBuilder(rng);
  const top = wood(o, rng, 'top');
  const legs = rng.next() < 0.6 ? top : metal(o, rng);
  const h = rng.uniform(0.7, 0.76);
  const t = rng.uniform(0.025, 0.05);
  if (rng.next() < 0.3) {
    const r = rng.uniform(0.4, 0.6);
    cylinder(o.mesh, [0, h - t, 0], r, t, top, 32);
    cylinder(o.mesh, [0, 0.03, 0], rng.uniform(0.03, 0.06), h - t - 0.03, legs, 16);
    cylinder(o.mesh, [0, 0, 0], r * 0.5, 0.03, legs, 24);
    return o;
  }
  const w = rng.uniform(0.8, 1.6);
  const d = rng.uniform(0.6, 0.9);
  const hw = rng.uniform(0.018, 0.035);
  box(o.mesh, [-w / 2, h - t, -d / 2], [w / 2, h, d / 2], top);
  const inset = rng.uniform(0.03, 0.08);
  for (const sx of [-1, 1]) {
    for (const sz of [-1, 1]) {
      const x = sx * (w / 2 - inset);
      const z = sz * (d / 2 - inset);
      beam(o.mesh, [x, 0, z], [x, h - t, z], hw, legs);
    }
  }
  if (rng.next() < 0.5) {
    const a = 0.08;
    box(
      o.mesh,
      [-w / 2 + inset, h - t - a, -d / 2 + inset - 0.01],
      [w / 2 - inset, h - t, -d / 2 + inset + 0.01],
      legs,
    );
    box(
      o.mesh,
      [-w / 2 + inset, h - t - a, d / 2 - inset - 0.01],
      [w / 2 - inset, h - t, d / 2 - inset + 0.01],
      legs,
    );
  }
  return o;
}

/** Sofa: base, seat and back cushions, arms and short legs, in one fabric. */
export function buildSofa(rng: Rng): ObjectBuilder {
  const o = new ObjectBuilder(rng);
  const fabric = o.material('fabric', pickColor(rng, 'fabrics'), 0, 'fabric');
  const feet = rng.next() < 0.5 ? wood(o, rng, 'feet') : metal(o, rng);
  const seats = 2 + rng.int(2);
  const w = rng.uniform(0.55, 0.7) * seats + 0.3;
  const d = rng.uniform(0.8, 0.95);
  const seatH = rng.uniform(0.4, 0.46);
  const backH = rng.uniform(0.75, 0.9);
  const armW = rng.uniform(0.12, 0.2);
  const armH = rng.uniform(0.55, 0.65);
  const leg = 0.1;
  for (const sx of [-1, 1]) {
    for (const sz of [-1, 1])
      cylinder(o.mesh, [sx * (w / 2 - 0.06), 0, sz * (d / 2 - 0.06)], 0.02, leg, feet, 12);
  }
  box(o.mesh, [-w / 2, leg, -d / 2], [w / 2, seatH - 0.12, d / 2], fabric);
  box(o.mesh, [-w / 2 + 0.05, leg, d / 2 - 0.16], [w / 2 - 0.05, backH - 0.06, d / 2], fabric);
  const inner = w - 2 * armW;
  for (let k = 0; k < seats; k++) {
    const x0 = -inner / 2 + (k * inner) / seats + 0.005;
    const x1 = -inner / 2 + ((k + 1) * inner) / seats - 0.005;
    box(o.mesh, [x0, seatH - 0.12, -d / 2 + 0.02], [x1, seatH, d / 2 - 0.18], fabric);
    const tilt = rng.uniform(0.1, 0.25);
    const ch = backH - seatH;
    const c: V3 = [
      (x0 + x1) / 2,
      seatH + (Math.cos(tilt) * ch) / 2,
      d / 2 - 0.26 + (Math.sin(tilt) * ch) / 2,
    ];
    orientedBox(
      o.mesh,
      c,
      [(x1 - x0) / 2, 0, 0],
      [0, (Math.cos(tilt) * ch) / 2, (Math.sin(tilt) * ch) / 2],
      [0, -0.07 * Math.sin(tilt), 0.07 * Math.cos(tilt)],
      fabric,
    );
  }
  for (const sx of [-1, 1]) {
    const x0 = sx < 0 ? -w / 2 : w / 2 - armW;
    box(o.mesh, [x0, leg, -d / 2], [x0 + armW, armH, d / 2], fabric);
  }
  return o;
}

/** Bookshelf: sides, plinth, back panel, 2-5 shelves, rows of books in a few cover colours. */
export function buildBookshelf(rng: Rng): ObjectBuilder {
  const o = new ObjectBuilder(rng);
  const body = rng.next() < 0.7 ? wood(o, rng, 'board') : o.material('board', pickColor(rng, 'paints'), 0.1);
  const covers = Array.from({ length: 4 }, (_, k) =>
    o.material(`cover${k}`, [rng.uniform(0.1, 0.85), rng.uniform(0.1, 0.7), rng.uniform(0.1, 0.7)], 0.2),
  );
  const w = rng.uniform(0.6, 1.2);
  const h = rng.uniform(1.0, 2.0);
  const d = rng.uniform(0.25, 0.35);
  const t = 0.02;
  box(o.mesh, [-w / 2, 0, -d / 2], [-w / 2 + t, h, d / 2], body);
  box(o.mesh, [w / 2 - t, 0, -d / 2], [w / 2, h, d / 2], body);
  box(o.mesh, [-w / 2 + t, h - t, -d / 2], [w / 2 - t, h, d / 2], body);
  box(o.mesh, [-w / 2 + t, 0, -d / 2 + 0.01], [w / 2 - t, 0.06, d / 2], body);
  box(o.mesh, [-w / 2 + t, 0.06, d / 2 - 0.01], [w / 2 - t, h - t, d / 2], body);
  const levels = 3 + rng.int(4);
  const gap = (h - 0.06 - t) / levels;
  for (let k = 0; k < levels; k++) {
    const y = 0.06 + k * gap;
    if (k > 0) box(o.mesh, [-w / 2 + t, y - t, -d / 2], [w / 2 - t, y, d / 2 - 0.01], body);
    if (rng.next() < 0.3) continue;
    for (let x = -w / 2 + t + 0.01; ; ) {
      const bw = rng.uniform(0.02, 0.05);
      if (x + bw > w / 2 - t - 0.01) break;
      const bh = Math.min(gap - t - 0.02, rng.uniform(0.15, 0.3));
      box(o.mesh, [x, y, -d / 2 + 0.03], [x + bw, y + bh, d / 2 - 0.03], covers[rng.int(covers.length)]);
      x += bw + (rng.next() < 0.1 ? rng.uniform(0.02, 0.08) : 0.003);
    }
  }
  return o;
}

/** Cabinet: body on legs or a plinth, doors or drawers on the front (-Z), metal handles. */
export function buildCabinet(rng: Rng): ObjectBuilder {
  const o = new ObjectBuilder(rng);
  const body = rng.next() < 0.5 ? wood(o, rng, 'body') : o.material('body', pickColor(rng, 'paints'), 0.3);
  const front = rng.next() < 0.5 ? body : o.material('front', pickColor(rng, 'paints'), 0.3);
  const handle = metal(o, rng);
  const w = rng.uniform(0.5, 1.2);
  const h = rng.uniform(0.5, 1.0);
  const d = rng.uniform(0.4, 0.6);
  const base = rng.next() < 0.5 ? 0.1 : 0.06;
  if (base > 0.08) {
    for (const sx of [-1, 1])
      for (const sz of [-1, 1])
        beam(
          o.mesh,
          [sx * (w / 2 - 0.04), 0, sz * (d / 2 - 0.04)],
          [sx * (w / 2 - 0.04), base, sz * (d / 2 - 0.04)],
          0.015,
          handle,
        );
  } else {
    box(o.mesh, [-w / 2 + 0.03, 0, -d / 2 + 0.03], [w / 2 - 0.03, base, d / 2 - 0.03], body);
  }
  box(o.mesh, [-w / 2, base, -d / 2], [w / 2, h - 0.02, d / 2], body);
  box(o.mesh, [-w / 2 - 0.01, h - 0.02, -d / 2 - 0.02], [w / 2 + 0.01, h, d / 2], body);
  const z0 = -d / 2 - 0.015;
  if (rng.next() < 0.5) {
    const doors = w > 0.7 ? 2 : 1;
    for (let k = 0; k < doors; k++) {
      const x0 = -w / 2 + (k * w) / doors + 0.004;
      const x1 = -w / 2 + ((k + 1) * w) / doors - 0.004;
      box(o.mesh, [x0, base + 0.01, z0], [x1, h - 0.03, -d / 2], front);
      const hx = doors === 2 ? (k === 0 ? x1 - 0.04 : x0 + 0.04) : x1 - 0.05;
      beam(o.mesh, [hx, h * 0.55, z0 - 0.03], [hx, h * 0.55 + 0.1, z0 - 0.03], 0.006, handle);
    }
  } else {
    const drawers = 2 + rng.int(3);
    const dh = (h - 0.03 - base - 0.01) / drawers;
    for (let k = 0; k < drawers; k++) {
      const y0 = base + 0.01 + k * dh + 0.003;
      box(o.mesh, [-w / 2 + 0.004, y0, z0], [w / 2 - 0.004, y0 + dh - 0.006, -d / 2], front);
      beam(o.mesh, [-0.06, y0 + dh / 2, z0 - 0.025], [0.06, y0 + dh / 2, z0 - 0.025], 0.006, handle);
    }
  }
  return o;
}
