import type { Rng } from '@oxels/core';
import type { RGB } from './MeshBuilder.ts';

/**
 * The surface patterns baked into room vertex colours. SceneNN meshes carry only vertex colours,
 * so a pattern shows only as finely as the surface is tessellated (5-10 cm here): periods are
 * tens of centimetres and lines one grid step wide.
 */
export type PatternKind =
  | 'plain'
  | 'tiles'
  | 'planks'
  | 'stripes'
  | 'checker'
  | 'brick'
  | 'wainscot'
  | 'carpet'
  | 'diamonds'
  | 'panels';

/** A pattern with its parameters, drawn once per surface (plain data). */
export interface SurfaceStyle {
  kind: PatternKind;
  /** Main colour, second colour, line (grout/mortar/joint) colour; sRGB [0, 1]. */
  colors: [RGB, RGB, RGB];
  /** Main period in metres (tile size, plank width, stripe period...). */
  period: number;
  /** Seeds the per-tile/plank colour jitter. */
  seed: number;
}

/** A colour function of surface coordinates (u along, v across or up), metres. */
export type SurfaceColor = (u: number, v: number) => RGB;

/** Integer hash of (i, j, seed) to [0, 1): per-tile and per-vertex jitter without state. */
export function hash2(i: number, j: number, seed: number): number {
  let h = Math.imul(i | 0, 0x27d4eb2d) ^ Math.imul(j | 0, 0x165667b1) ^ Math.imul(seed | 0, 0x9e3779b9);
  h = Math.imul(h ^ (h >>> 15), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return ((h ^ (h >>> 16)) >>> 0) / 0x100000000;
}

/** Smooth value noise in [0, 1] with unit lattice spacing (bilinear, smoothstep-weighted). */
export function valueNoise(x: number, y: number, seed: number): number {
  const i = Math.floor(x);
  const j = Math.floor(y);
  const fx = x - i;
  const fy = y - j;
  const sx = fx * fx * (3 - 2 * fx);
  const sy = fy * fy * (3 - 2 * fy);
  const a = hash2(i, j, seed);
  const b = hash2(i + 1, j, seed);
  const c = hash2(i, j + 1, seed);
  const d = hash2(i + 1, j + 1, seed);
  return (a + (b - a) * sx) * (1 - sy) + (c + (d - c) * sx) * sy;
}

function mix(a: RGB, b: RGB, t: number): RGB {
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
}

/** `c` times a factor (one for all channels, or one per channel), clipped at 1. */
function shade(c: RGB, f: number | RGB): RGB {
  const [fr, fg, fb] = typeof f === 'number' ? [f, f, f] : f;
  return [Math.min(1, c[0] * fr), Math.min(1, c[1] * fg), Math.min(1, c[2] * fb)];
}

/** True when x lies within half a grid step of a multiple of `period` (a one-vertex-wide line). */
function onLine(x: number, period: number, step: number): boolean {
  const r = x - Math.round(x / period) * period;
  return Math.abs(r) < step * 0.5;
}

/**
 * Scan-like wear as per-channel factors: scanned surfaces are never uniform (dirt, scuffs, exposure
 * changes baked into the vertex colours). Aperiodic value noise from 1.7 m down to one vertex step makes
 * every patch of a surface unique, so that one floor tile or stretch of paint can be told from the next
 * by what surrounds it; a slow warm/cool shift keeps it from being brightness alone. Factors stay at or
 * under about 1.05 so that white paint keeps its texture instead of clipping.
 */
function wear(u: number, v: number, seed: number, step: number): RGB {
  const n =
    0.25 * valueNoise(u / 1.7, v / 1.7, seed + 1) +
    0.25 * valueNoise(u / 0.6, v / 0.6, seed + 2) +
    0.25 * valueNoise(u / 0.25, v / 0.25, seed + 3) +
    0.25 * valueNoise(u / step, v / step, seed + 4);
  const l = 0.66 + 0.4 * n;
  const t = 0.08 * (valueNoise(u / 0.8, v / 0.8, seed + 5) - 0.5);
  return [l * (1 + t), l, l * (1 - t)];
}

/** The colour function of a style, sampled on a grid of `step` metres, with scan-like wear. */
export function surfaceColor(style: SurfaceStyle, step: number): SurfaceColor {
  const [c0, c1, line] = style.colors;
  const p = style.period;
  const seed = style.seed;
  const base = (u: number, v: number): RGB => {
    switch (style.kind) {
      case 'plain':
        return c0;
      case 'tiles': {
        if (onLine(u, p, step) || onLine(v, p, step)) return line;
        const ti = Math.floor(u / p);
        const tj = Math.floor(v / p);
        return shade((ti + tj) % 2 === 0 ? c0 : c1, 0.93 + 0.14 * hash2(ti, tj, seed));
      }
      case 'planks': {
        const row = Math.floor(v / p);
        const length = p * 6;
        const offset = hash2(row, 0, seed) * length;
        if (onLine(v, p, step) || onLine(u + offset, length, step)) return line;
        const plank = Math.floor((u + offset) / length);
        const tint = mix(c0, c1, hash2(row, plank, seed));
        const grain = 0.9 + 0.1 * Math.sin(u * 9 + 6 * valueNoise(u * 2, v * 8, seed));
        return shade(tint, grain);
      }
      case 'stripes':
        return Math.floor(u / (p / 2)) % 2 === 0 ? c0 : c1;
      case 'checker':
        return (Math.floor(u / p) + Math.floor(v / p)) % 2 === 0 ? c0 : c1;
      case 'brick': {
        const h = p / 3;
        const row = Math.floor(v / h);
        const shift = row % 2 === 0 ? 0 : p / 2;
        if (onLine(v, h, step) || onLine(u + shift, p, step)) return line;
        return shade(mix(c0, c1, hash2(Math.floor((u + shift) / p), row, seed)), 1);
      }
      case 'wainscot': {
        // Panelled lower band of height `period`, a dado rail, plain paint above.
        if (onLine(v, p, step)) return line;
        if (v < p) return onLine(u, 0.4, step) ? shade(c1, 0.85) : c1;
        return c0;
      }
      case 'carpet':
        return shade(
          mix(c0, c1, valueNoise(u / p, v / p, seed)),
          0.88 + 0.24 * hash2(Math.round(u / step), Math.round(v / step), seed),
        );
      case 'diamonds': {
        const fu = u / p - Math.floor(u / p) - 0.5;
        const fv = v / p - Math.floor(v / p) - 0.5;
        return Math.abs(fu) + Math.abs(fv) < 0.25 ? c1 : c0;
      }
      case 'panels':
        return onLine(u, p, step) || onLine(v, p, step) ? line : c0;
    }
  };
  return (u, v) => shade(base(u, v), wear(u, v, seed, step));
}

/** Palettes the styles draw from (sRGB). */
const PALETTES = {
  woods: [
    [0.55, 0.36, 0.2],
    [0.68, 0.5, 0.32],
    [0.42, 0.27, 0.16],
    [0.78, 0.62, 0.42],
    [0.6, 0.42, 0.3],
  ],
  stones: [
    [0.82, 0.8, 0.76],
    [0.6, 0.6, 0.62],
    [0.74, 0.66, 0.55],
    [0.7, 0.38, 0.25],
    [0.85, 0.88, 0.9],
    [0.3, 0.32, 0.36],
  ],
  fabrics: [
    [0.45, 0.45, 0.48],
    [0.25, 0.32, 0.5],
    [0.35, 0.45, 0.3],
    [0.5, 0.2, 0.22],
    [0.62, 0.55, 0.45],
  ],
  paints: [
    [0.94, 0.93, 0.9],
    [0.93, 0.89, 0.8],
    [0.8, 0.86, 0.9],
    [0.85, 0.9, 0.82],
    [0.95, 0.85, 0.8],
    [0.75, 0.75, 0.78],
    [0.4, 0.6, 0.62],
    [0.85, 0.7, 0.4],
  ],
} satisfies Record<string, RGB[]>;

/** A palette colour with a small random tint, so that no two rooms share exact colours. */
export function pickColor(rng: Rng, palette: keyof typeof PALETTES): RGB {
  const colors = PALETTES[palette];
  const c = colors[rng.int(colors.length)];
  const f = rng.uniform(0.9, 1.08);
  return [
    Math.min(1, c[0] * f * rng.uniform(0.97, 1.03)),
    Math.min(1, c[1] * f),
    Math.min(1, c[2] * f * rng.uniform(0.97, 1.03)),
  ];
}

/** Draws a floor style: wood planks, tiles, carpet, stone checker. */
export function randomFloorStyle(rng: Rng): SurfaceStyle {
  const seed = rng.int(1 << 30);
  switch (rng.int(4)) {
    case 0:
      return {
        kind: 'planks',
        colors: [pickColor(rng, 'woods'), pickColor(rng, 'woods'), [0.25, 0.17, 0.1]],
        period: 0.2,
        seed,
      };
    case 1:
      return {
        kind: 'tiles',
        colors: [pickColor(rng, 'stones'), pickColor(rng, 'stones'), [0.45, 0.44, 0.42]],
        period: [0.3, 0.4, 0.5, 0.6][rng.int(4)],
        seed,
      };
    case 2:
      return {
        kind: 'carpet',
        colors: [pickColor(rng, 'fabrics'), pickColor(rng, 'fabrics'), [0, 0, 0]],
        period: 0.5,
        seed,
      };
    default:
      return {
        kind: 'checker',
        colors: [pickColor(rng, 'stones'), pickColor(rng, 'stones'), [0, 0, 0]],
        period: 0.5,
        seed,
      };
  }
}

/** Draws a wall style: paint, wallpaper stripes or diamonds, brick, wainscot, bathroom tiles. */
export function randomWallStyle(rng: Rng): SurfaceStyle {
  const seed = rng.int(1 << 30);
  const paint = pickColor(rng, 'paints');
  const other = pickColor(rng, 'paints');
  switch (rng.int(6)) {
    case 0:
      return { kind: 'plain', colors: [paint, paint, paint], period: 1, seed };
    case 1:
      return { kind: 'stripes', colors: [paint, other, paint], period: [0.2, 0.3, 0.4][rng.int(3)], seed };
    case 2:
      return { kind: 'diamonds', colors: [paint, other, paint], period: 0.4, seed };
    case 3:
      return {
        kind: 'brick',
        colors: [
          [0.62, 0.3, 0.22],
          [0.5, 0.26, 0.2],
          [0.8, 0.78, 0.74],
        ],
        period: 0.6,
        seed,
      };
    case 4:
      return {
        kind: 'wainscot',
        colors: [paint, pickColor(rng, 'woods'), [0.9, 0.9, 0.88]],
        period: 0.9,
        seed,
      };
    default:
      return {
        kind: 'tiles',
        colors: [pickColor(rng, 'stones'), pickColor(rng, 'stones'), [0.6, 0.6, 0.6]],
        period: 0.3,
        seed,
      };
  }
}

/** Draws a ceiling style: plain paint or office panels. */
export function randomCeilingStyle(rng: Rng): SurfaceStyle {
  const seed = rng.int(1 << 30);
  const white: RGB = [0.95, 0.95, 0.93];
  return rng.next() < 0.6
    ? { kind: 'plain', colors: [white, white, white], period: 1, seed }
    : { kind: 'panels', colors: [white, white, [0.7, 0.7, 0.7]], period: 0.6, seed };
}
