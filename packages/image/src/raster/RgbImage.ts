import { assert } from '../errors.ts';

/** An RGB colour, each channel 0..255. */
export type Rgb = readonly [number, number, number];

/**
 * An 8-bit RGB picture: `data` is uint8 [height, width, 3], row-major, rows top-down (the layout of
 * the shards' views, so a view's `rgbA` can be wrapped without copying).
 */
export interface RgbImage {
  width: number;
  height: number;
  data: Uint8Array;
}

/** A new picture of `width` x `height` pixels filled with `fill` (default black). */
export function createRgbImage(width: number, height: number, fill: Rgb = [0, 0, 0]): RgbImage {
  assert(
    Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0,
    'BAD_ARGUMENT',
    () => `createRgbImage: size must be positive integers (got ${width}x${height})`,
  );
  const data = new Uint8Array(width * height * 3);
  if (fill[0] || fill[1] || fill[2]) {
    for (let i = 0; i < data.length; i += 3) {
      data[i] = fill[0];
      data[i + 1] = fill[1];
      data[i + 2] = fill[2];
    }
  }
  return { width, height, data };
}

/** Wraps an existing uint8 [H, W, 3] buffer (no copy); checks its length. */
export function wrapRgb(data: Uint8Array, width: number, height: number): RgbImage {
  assert(
    data.length === width * height * 3,
    'BAD_ARGUMENT',
    () =>
      `wrapRgb: buffer holds ${data.length} bytes (expected ${width}x${height}x3 = ${width * height * 3})`,
  );
  return { width, height, data };
}

/** The colour of pixel (x, y) (integers, inside the picture). */
export function getPixel(image: RgbImage, x: number, y: number): Rgb {
  const i = (y * image.width + x) * 3;
  return [image.data[i], image.data[i + 1], image.data[i + 2]];
}

/**
 * Paints pixel (x, y) (rounded down) with `colour`, blended with weight `alpha` in [0, 1]; pixels
 * outside the picture are ignored, so shapes may be clipped freely. Mutates `image`.
 */
export function setPixel(image: RgbImage, x: number, y: number, colour: Rgb, alpha = 1): void {
  x = Math.floor(x);
  y = Math.floor(y);
  if (x < 0 || y < 0 || x >= image.width || y >= image.height) return;
  const i = (y * image.width + x) * 3;
  const d = image.data;
  if (alpha >= 1) {
    d[i] = colour[0];
    d[i + 1] = colour[1];
    d[i + 2] = colour[2];
    return;
  }
  d[i] = Math.round(d[i] + (colour[0] - d[i]) * alpha);
  d[i + 1] = Math.round(d[i + 1] + (colour[1] - d[i + 1]) * alpha);
  d[i + 2] = Math.round(d[i + 2] + (colour[2] - d[i + 2]) * alpha);
}

/** Fills the rectangle [x, x+w) x [y, y+h) (clipped) with `colour`. Mutates `image`. */
export function fillRect(image: RgbImage, x: number, y: number, w: number, h: number, colour: Rgb): void {
  const x0 = Math.max(0, Math.floor(x));
  const y0 = Math.max(0, Math.floor(y));
  const x1 = Math.min(image.width, Math.floor(x + w));
  const y1 = Math.min(image.height, Math.floor(y + h));
  for (let yy = y0; yy < y1; yy++) {
    for (let xx = x0; xx < x1; xx++) setPixel(image, xx, yy, colour);
  }
}

/** Copies `src` into `dst` with its top-left corner at (x, y) (integers; clipped). Mutates `dst`. */
export function blit(dst: RgbImage, src: RgbImage, x: number, y: number): void {
  const x0 = Math.max(0, -x);
  const x1 = Math.min(src.width, dst.width - x);
  if (x1 <= x0) return;
  for (let sy = Math.max(0, -y); sy < Math.min(src.height, dst.height - y); sy++) {
    const from = (sy * src.width + x0) * 3;
    dst.data.set(src.data.subarray(from, from + (x1 - x0) * 3), ((sy + y) * dst.width + x + x0) * 3);
  }
}

/**
 * `image` scaled up by an integer `factor` with nearest-neighbour sampling (one source pixel becomes
 * a `factor` x `factor` block), so that small views stay readable under lines and text.
 */
export function upscaleNearest(image: RgbImage, factor: number): RgbImage {
  assert(
    Number.isInteger(factor) && factor >= 1,
    'BAD_ARGUMENT',
    () => `upscaleNearest: factor must be an integer >= 1 (got ${factor})`,
  );
  if (factor === 1) return { width: image.width, height: image.height, data: image.data.slice() };
  const out = createRgbImage(image.width * factor, image.height * factor);
  for (let y = 0; y < out.height; y++) {
    const sy = Math.floor(y / factor);
    for (let x = 0; x < out.width; x++) {
      const s = (sy * image.width + Math.floor(x / factor)) * 3;
      const d = (y * out.width + x) * 3;
      out.data[d] = image.data[s];
      out.data[d + 1] = image.data[s + 1];
      out.data[d + 2] = image.data[s + 2];
    }
  }
  return out;
}
