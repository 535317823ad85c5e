import { describe, expect, it } from 'vitest';
import type { RGB } from './MeshBuilder.ts';
import { type SurfaceStyle, surfaceColor } from './surfacePatterns.ts';

const STEP = 0.05;

/** Colours of a size x size vertex patch whose corner is at (u0, v0), metres. */
function patch(style: SurfaceStyle, u0: number, v0: number, size: number): RGB[] {
  const color = surfaceColor(style, STEP);
  const out: RGB[] = [];
  for (let j = 0; j < size; j++) for (let i = 0; i < size; i++) out.push(color(u0 + i * STEP, v0 + j * STEP));
  return out;
}

const luminance = (c: RGB): number => (c[0] + c[1] + c[2]) / 3;

/** Mean absolute difference of two patches' luminance after removing each patch's mean (its shading). */
function structureDifference(a: RGB[], b: RGB[]): number {
  const la = a.map(luminance);
  const lb = b.map(luminance);
  const ma = la.reduce((s, x) => s + x, 0) / la.length;
  const mb = lb.reduce((s, x) => s + x, 0) / lb.length;
  return la.reduce((sum, x, k) => sum + Math.abs(x - ma - (lb[k] - mb)), 0) / la.length;
}

function std(values: number[]): number {
  const mean = values.reduce((s, x) => s + x, 0) / values.length;
  return Math.sqrt(values.reduce((s, x) => s + (x - mean) ** 2, 0) / values.length);
}

describe('surfaceColor', () => {
  const stone: RGB = [0.8, 0.78, 0.74];
  const slate: RGB = [0.3, 0.32, 0.36];
  const white: RGB = [0.95, 0.95, 0.93];
  const checker: SurfaceStyle = { kind: 'checker', colors: [stone, slate, [0, 0, 0]], period: 0.5, seed: 7 };
  const paint: SurfaceStyle = { kind: 'plain', colors: [white, white, white], period: 1, seed: 11 };

  it('is a pure function of the style and the position', () => {
    expect(patch(checker, 0.1, 0.2, 8)).toEqual(patch({ ...checker }, 0.1, 0.2, 8));
  });

  it('makes tiles of one colour differ in their own structure, not only in shading', () => {
    // Two tiles of the same checker colour, a whole period pair apart: the pattern alone repeats here.
    const a = patch(checker, 0.05, 0.05, 8);
    const b = patch(checker, 1.05, 0.05, 8);
    const c = patch(checker, 0.05, 2.05, 8);
    expect(structureDifference(a, b)).toBeGreaterThan(0.02);
    expect(structureDifference(a, c)).toBeGreaterThan(0.02);
  });

  it('gives plain paint texture at every scale without clipping white', () => {
    const wall = patch(paint, 0, 0, 40); // 2 m x 2 m
    const lum = wall.map(luminance);
    expect(std(lum)).toBeGreaterThan(0.03);
    // Vertex-to-vertex grain, not only slow shading: neighbours along u differ.
    let neighbour = 0;
    for (let k = 0; k + 1 < lum.length; k++)
      if ((k + 1) % 40 !== 0) neighbour += Math.abs(lum[k + 1] - lum[k]);
    expect(neighbour / (39 * 40)).toBeGreaterThan(0.005);
    const clipped = wall.filter((c) => c.some((x) => x >= 1)).length;
    expect(clipped / wall.length).toBeLessThan(0.05);
    for (const c of wall) for (const x of c) expect(x).toBeGreaterThan(0.5);
  });
});
