import { assert } from '../../errors.ts';

/**
 * An image as plain data: `data` is [height, width, channels] float32, row-major (HWC), values in [0, 1]
 * for colour images. Pixel (x, y) is data[(y * width + x) * channels + c] and covers [x, x+1) x [y, y+1).
 */
export interface Image2D {
  width: number;
  height: number;
  channels: number;
  data: Float32Array;
}

/** Checks that `image.data` holds width * height * channels values; returns the image. */
export function validateImage2D(image: Image2D, name: string): Image2D {
  const { width, height, channels, data } = image;
  assert(
    Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0 && channels > 0,
    'BAD_ARGUMENT',
    () => `${name}: image size must be positive integers (got ${width}x${height}x${channels})`,
  );
  assert(
    data.length === width * height * channels,
    'BAD_ARGUMENT',
    () => `${name}: image data length ${data.length} does not match ${width}x${height}x${channels}`,
  );
  return image;
}

/** Clamps x into [0, 1]. */
export function clamp01(x: number): number {
  return Math.min(1, Math.max(0, x));
}

/**
 * Bilinear sample of channel `c` at the continuous pixel coordinate (u, v) (pixel centres at +0.5),
 * clamping to the edge pixels outside the centres' hull.
 */
export function sampleBilinear(image: Image2D, u: number, v: number, c: number): number {
  const { width, height, channels, data } = image;
  const sx = u - 0.5;
  const sy = v - 0.5;
  const x0f = Math.floor(sx);
  const y0f = Math.floor(sy);
  const fx = sx - x0f;
  const fy = sy - y0f;
  const x0 = x0f < 0 ? 0 : x0f >= width ? width - 1 : x0f;
  const x1 = x0f + 1 < 0 ? 0 : x0f + 1 >= width ? width - 1 : x0f + 1;
  const y0 = y0f < 0 ? 0 : y0f >= height ? height - 1 : y0f;
  const y1 = y0f + 1 < 0 ? 0 : y0f + 1 >= height ? height - 1 : y0f + 1;
  const a = data[(y0 * width + x0) * channels + c];
  const b = data[(y0 * width + x1) * channels + c];
  const d = data[(y1 * width + x0) * channels + c];
  const e = data[(y1 * width + x1) * channels + c];
  return (1 - fy) * ((1 - fx) * a + fx * b) + fy * ((1 - fx) * d + fx * e);
}
