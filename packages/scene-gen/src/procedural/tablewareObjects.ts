import type { Rng } from '@oxels/core';
import type { RGB } from './MeshBuilder.ts';
import { ObjectBuilder } from './ObjectBuilder.ts';
import { beam, cylinder, lathe, sphere, torusArc } from './objectPrimitives.ts';
import { pickColor } from './surfacePatterns.ts';

/**
 * Procedural lathe-turned objects (mug, bottle, bowl, vase) and lamps, in metres at real sizes,
 * +Y up, front -Z, standing on y = 0. Vessels have a wall thickness: the profile runs up the
 * outside, over the rim and down the inside, so that their inside is a real surface.
 */

function ceramic(rng: Rng): RGB {
  return rng.next() < 0.4 ? [0.95, 0.94, 0.9] : pickColor(rng, rng.next() < 0.5 ? 'paints' : 'stones');
}

/** Mug: thick-walled cylinder, printed or plain outside, handle on +X. */
export function buildMug(rng: Rng): ObjectBuilder {
  const o = new ObjectBuilder(rng);
  const glaze = o.material('glaze', ceramic(rng), 0.7);
  const outside = rng.next() < 0.5 ? o.material('print', [1, 1, 1], 0.7, 'label') : glaze;
  const r = rng.uniform(0.037, 0.05);
  const h = rng.uniform(0.085, 0.11);
  const t = 0.005;
  lathe(
    o.mesh,
    [0, 0, 0],
    [
      [0, 0],
      [r - 0.004, 0],
      [r, 0.004],
      [r, h],
      [r - t, h],
      [r - t, t + 0.004],
      [r - t - 0.004, t],
      [0, t],
    ],
    glaze,
    { segments: 32, groupOf: (k) => (k === 2 ? outside : glaze), uvPerEdge: true },
  );
  torusArc(
    o.mesh,
    [r - 0.002, h / 2, 0],
    [1, 0, 0],
    [0, 1, 0],
    h * 0.3,
    0.006,
    -Math.PI / 2,
    Math.PI / 2,
    glaze,
  );
  return o;
}

/** Bottle: glass body with a printed label band, shoulder, neck and plastic cap. */
export function buildBottle(rng: Rng): ObjectBuilder {
  const o = new ObjectBuilder(rng);
  const glassColors: RGB[] = [
    [0.25, 0.45, 0.25],
    [0.45, 0.3, 0.15],
    [0.7, 0.8, 0.85],
    [0.2, 0.3, 0.5],
  ];
  const glass = o.material('glass', glassColors[rng.int(glassColors.length)], 1);
  const label = o.material('label', [1, 1, 1], 0.2, 'label');
  const cap = o.material('cap', [rng.uniform(0.1, 0.9), rng.uniform(0.1, 0.9), rng.uniform(0.1, 0.9)], 0.5);
  const r = rng.uniform(0.03, 0.045);
  const h = rng.uniform(0.18, 0.3);
  const neckR = rng.uniform(0.011, 0.016);
  const neckH = rng.uniform(0.04, 0.07);
  const shoulder = rng.uniform(0.03, 0.07);
  const bodyTop = h - neckH - shoulder;
  const l0 = bodyTop * rng.uniform(0.2, 0.35);
  const l1 = bodyTop * rng.uniform(0.7, 0.9);
  const profile: [number, number][] = [
    [0, 0],
    [r - 0.004, 0],
    [r, 0.004],
    [r, l0],
    [r, l1],
    [r, bodyTop],
  ];
  for (let i = 1; i <= 5; i++) {
    const a = (i / 5) * (Math.PI / 2);
    profile.push([neckR + (r - neckR) * Math.cos(a), bodyTop + shoulder * Math.sin(a)]);
  }
  profile.push([neckR, h], [0, h]);
  lathe(o.mesh, [0, 0, 0], profile, glass, {
    segments: 28,
    groupOf: (k) => (k === 3 ? label : glass),
    uvPerEdge: true,
  });
  cylinder(o.mesh, [0, h - 0.012, 0], neckR + 0.002, 0.022, cap, 20);
  return o;
}

/** Bowl: footed, curved wall with thickness, glazed or decorated. */
export function buildBowl(rng: Rng): ObjectBuilder {
  const o = new ObjectBuilder(rng);
  const glaze = o.material('glaze', ceramic(rng), 0.6, rng.next() < 0.4 ? 'decor' : undefined);
  const R = rng.uniform(0.07, 0.12);
  const H = rng.uniform(0.045, 0.08);
  const footR = R * rng.uniform(0.4, 0.5);
  const footH = 0.008;
  const t = 0.005;
  const profile: [number, number][] = [
    [0, 0],
    [footR, 0],
    [footR, footH],
  ];
  const steps = 8;
  for (let i = 1; i <= steps; i++) {
    const a = (i / steps) * (Math.PI / 2);
    profile.push([footR + (R - footR) * Math.sin(a), footH + (H - footH) * (1 - Math.cos(a))]);
  }
  profile.push([R - t, H]);
  for (let i = steps - 1; i >= 1; i--) {
    const a = (i / steps) * (Math.PI / 2);
    profile.push([footR + (R - t - footR) * Math.sin(a), footH + t + (H - footH - t) * (1 - Math.cos(a))]);
  }
  profile.push([0, footH + t]);
  lathe(o.mesh, [0, 0, 0], profile, glaze, { segments: 32 });
  return o;
}

/** Vase: one of a few silhouettes (bulb, cylinder, amphora), open at the top. */
export function buildVase(rng: Rng): ObjectBuilder {
  const o = new ObjectBuilder(rng);
  const glaze = o.material('glaze', ceramic(rng), 0.8, rng.next() < 0.5 ? 'decor' : undefined);
  const h = rng.uniform(0.2, 0.42);
  const base = rng.uniform(0.04, 0.07);
  const shape = rng.int(3);
  const bulge = rng.uniform(0.3, 0.9);
  const radius = (s: number): number => {
    if (shape === 0) return base * (1 + bulge * Math.sin(Math.PI * Math.min(1, s * 1.3)) - 0.4 * s);
    if (shape === 1) return base * (1 + 0.15 * s);
    return base * (0.8 + bulge * Math.sin(Math.PI * s) ** 2 + 0.3 * s * s);
  };
  const t = 0.005;
  const n = 12;
  const profile: [number, number][] = [[0, 0]];
  for (let i = 0; i <= n; i++) profile.push([radius(i / n), (h * i) / n]);
  for (let i = n; i >= 1; i--) profile.push([radius(i / n) - t, (h * i) / n]);
  profile.push([0, t]);
  lathe(o.mesh, [0, 0, 0], profile, glaze, { segments: 32 });
  return o;
}

/** Lamp: a floor lamp (pole and drum shade) or a desk lamp (jointed arm, cone shade leaning forward). */
export function buildLamp(rng: Rng): ObjectBuilder {
  const o = new ObjectBuilder(rng);
  const metalColors: RGB[] = [
    [0.15, 0.15, 0.15],
    [0.75, 0.75, 0.78],
    [0.75, 0.6, 0.3],
  ];
  const metal = o.material('metal', metalColors[rng.int(metalColors.length)], 0.9);
  const shade = o.material('shade', pickColor(rng, 'paints'), 0.1, rng.next() < 0.4 ? 'fabric' : undefined);
  const bulb = o.material('bulb', [1, 1, 0.92], 0.3);
  // Outside up, over the top edge, inside down, back round the bottom edge: a thin open drum.
  const shadeProfile = (rBottom: number, rTop: number, height: number): [number, number][] => [
    [rBottom, 0],
    [rTop, height],
    [rTop - 0.003, height - 0.003],
    [rBottom - 0.003, 0.003],
    [rBottom, 0],
  ];
  if (rng.next() < 0.5) {
    const pole = rng.uniform(1.2, 1.6);
    cylinder(o.mesh, [0, 0, 0], rng.uniform(0.12, 0.16), 0.03, metal, 32);
    beam(o.mesh, [0, 0.03, 0], [0, pole, 0], 0.012, metal);
    const sh = rng.uniform(0.2, 0.3);
    lathe(
      o.mesh,
      [0, pole - sh * 0.6, 0],
      shadeProfile(rng.uniform(0.18, 0.24), rng.uniform(0.12, 0.17), sh),
      shade,
      {
        segments: 32,
      },
    );
    sphere(o.mesh, [0, pole - sh * 0.4, 0], 0.04, bulb);
    return o;
  }
  cylinder(o.mesh, [0, 0, 0], rng.uniform(0.07, 0.1), 0.02, metal, 28);
  const elbow: [number, number, number] = [0, rng.uniform(0.25, 0.35), rng.uniform(0.02, 0.08)];
  const head: [number, number, number] = [0, elbow[1] + rng.uniform(0.05, 0.12), -rng.uniform(0.15, 0.25)];
  beam(o.mesh, [0, 0.02, 0], elbow, 0.008, metal);
  beam(o.mesh, elbow, head, 0.008, metal);
  const sh = rng.uniform(0.1, 0.14);
  lathe(o.mesh, [head[0], head[1] - sh, head[2]], shadeProfile(rng.uniform(0.07, 0.1), 0.025, sh), shade, {
    segments: 28,
  });
  sphere(o.mesh, [head[0], head[1] - sh * 0.6, head[2]], 0.022, bulb);
  return o;
}
