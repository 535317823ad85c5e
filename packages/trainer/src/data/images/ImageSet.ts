import { assert } from '../../errors.ts';
import type { Image2D } from '../warp/Image2D.ts';

/**
 * A set of same-sized RGB images as plain data, the source of the 2D mode. Stored as 8-bit to keep
 * datasets of tens of thousands of images small; `imageAt` returns one as float32 in [0, 1].
 */
export interface ImageSet {
  count: number;
  width: number;
  height: number;
  /** [count, height, width, 3] uint8, row-major (HWC per image). */
  pixels: Uint8Array;
}

/** Image `i` of the set as an [height, width, 3] float32 image in [0, 1]. */
export function imageAt(set: ImageSet, i: number): Image2D {
  assert(
    Number.isInteger(i) && i >= 0 && i < set.count,
    'BAD_ARGUMENT',
    () => `imageAt: index out of range (got ${i}, expected 0 <= i < ${set.count})`,
  );
  const n = set.width * set.height * 3;
  const data = new Float32Array(n);
  const src = set.pixels.subarray(i * n, (i + 1) * n);
  for (let k = 0; k < n; k++) data[k] = src[k] / 255;
  return { width: set.width, height: set.height, channels: 3, data };
}

/**
 * Writes an [height, width, 3] float32 image in [0, 1] into slot `i` of `pixels` ([count, H, W, 3] uint8),
 * rounding to the nearest 8-bit value and clamping. Mutates `pixels`.
 */
export function storeImage(pixels: Uint8Array, i: number, image: Image2D): void {
  const n = image.width * image.height * 3;
  assert(
    image.channels === 3,
    'BAD_ARGUMENT',
    () => `storeImage: expected RGB (got ${image.channels} channels)`,
  );
  const o = i * n;
  // A Uint8Array store truncates fractions and wraps modulo 256, so round and clamp explicitly.
  for (let k = 0; k < n; k++) pixels[o + k] = Math.min(255, Math.max(0, Math.round(image.data[k] * 255)));
}
