import type { Rng } from '@oxels/core';
import { encodeJpeg, encodeRgbPng } from '@oxels/image';
import type { RGB } from './MeshBuilder.ts';
import { hash2, valueNoise } from './surfacePatterns.ts';

/** A texture file of a procedural object: its name in `images/` and its encoded bytes. */
export interface TextureFile {
  file: string;
  bytes: Uint8Array;
}

/** JPEG quality of the fabric textures (the JPEG path of the loaders is exercised by these). */
const JPEG_QUALITY = 85;

/** Renders an RGB image from a colour function of pixel (x, y), rows top-down. */
function render(width: number, height: number, f: (x: number, y: number) => RGB): Uint8Array {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const c = f(x, y);
      for (let k = 0; k < 3; k++)
        data[(y * width + x) * 3 + k] = Math.max(0, Math.min(255, Math.round(c[k] * 255)));
    }
  }
  return data;
}

function png(file: string, width: number, height: number, f: (x: number, y: number) => RGB): TextureFile {
  return { file, bytes: encodeRgbPng({ width, height, data: render(width, height, f) }) };
}

/** Wood grain along u (light; the material's Kd gives the species' colour). */
export function woodTexture(rng: Rng, file: string): TextureFile {
  const seed = rng.int(1 << 30);
  const freq = rng.uniform(6, 14);
  return png(file, 64, 64, (x, y) => {
    const warp = 3 * valueNoise(x / 16, y / 6, seed);
    const g = 0.78 + 0.22 * (0.5 + 0.5 * Math.sin(((y / 64) * freq + warp) * 2 * Math.PI));
    return [g, g * 0.93, g * 0.86];
  });
}

/** A woven fabric (two-thread twill with fibre noise), written as JPEG. */
export function fabricTexture(rng: Rng, file: string): TextureFile {
  const seed = rng.int(1 << 30);
  const width = 64;
  const height = 64;
  const data = render(width, height, (x, y) => {
    const twill = ((x + y) >> 1) % 2 === 0 ? 0.92 : 0.78;
    const g = twill * (0.9 + 0.1 * hash2(x, y, seed));
    return [g, g, g];
  });
  return { file, bytes: encodeJpeg({ width, height, data }, JPEG_QUALITY) };
}

/** A product label: coloured background, a band of "text" blocks, a logo disc. Wraps around bottles and mugs. */
export function labelTexture(rng: Rng, file: string): TextureFile {
  const seed = rng.int(1 << 30);
  const bg: RGB = [rng.uniform(0.2, 1), rng.uniform(0.2, 1), rng.uniform(0.2, 1)];
  const ink: RGB = [rng.uniform(0, 0.3), rng.uniform(0, 0.3), rng.uniform(0, 0.3)];
  const accent: RGB = [rng.uniform(0.5, 1), rng.uniform(0, 0.6), rng.uniform(0, 0.4)];
  const logoX = rng.uniform(20, 108);
  return png(file, 128, 64, (x, y) => {
    if (Math.hypot(x - logoX, y - 20) < 12) return accent;
    if (y >= 38 && y < 50 && x % 16 < 13 && hash2(x >> 2, y >> 2, seed) < 0.7) return ink;
    if (y < 4 || y >= 60) return accent;
    return bg;
  });
}

/** Decorative stripes or dots for vases and bowls (light; tinted by Kd). */
export function decorTexture(rng: Rng, file: string): TextureFile {
  const stripes = rng.next() < 0.5;
  const period = 8 + rng.int(9);
  const dark: RGB = [rng.uniform(0.3, 0.6), rng.uniform(0.3, 0.6), rng.uniform(0.3, 0.6)];
  return png(file, 64, 64, (x, y) => {
    const on = stripes
      ? Math.floor(y / (period / 2)) % 2 === 0
      : Math.hypot((x % period) - period / 2, (y % period) - period / 2) < period / 4;
    return on ? dark : [1, 1, 1];
  });
}
