import { assert } from '../../errors.ts';
import { applyHomography, invert3, type Mat3, type Point2 } from './homography.ts';
import { type Image2D, sampleBilinear, validateImage2D } from './Image2D.ts';

/** Output size and fill of `warpImage`. */
export interface WarpImageOptions {
  /** Output width in pixels; default: the source width. */
  width: number;
  /** Output height in pixels; default: the source height. */
  height: number;
  /** Value of every channel where the view sees outside the source image. Default 0. */
  fill: number;
}

/** A warped view and which of its pixels see the source image. */
export interface WarpedView {
  /** [height, width, channels] float32, the warped image. */
  image: Image2D;
  /**
   * [height * width] uint8: 1 where the pixel centre maps back inside the source image
   * ([0, W) x [0, H)), 0 where it shows the fill value.
   */
  mask: Uint8Array;
}

/**
 * Warps `source` by the homography `h` (source pixel coordinates -> view pixel coordinates, pixel centres
 * at +0.5) with bilinear resampling: each view pixel centre q is mapped back to p = inverse(h) q in the
 * source and sampled there (edge-clamped within the source's [0, W) x [0, H)).
 */
export function warpImage(source: Image2D, h: Mat3, options: Partial<WarpImageOptions> = {}): WarpedView {
  validateImage2D(source, 'warpImage');
  const { width, height, fill } = { width: source.width, height: source.height, fill: 0, ...options };
  assert(
    Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0,
    'BAD_ARGUMENT',
    () => `warpImage: output size must be positive integers (got ${width}x${height})`,
  );
  const channels = source.channels;
  const inv = invert3(h);
  const data = new Float32Array(width * height * channels);
  const mask = new Uint8Array(width * height);
  const p: Point2 = { x: 0, y: 0 };
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      applyHomography(inv, x + 0.5, y + 0.5, p);
      // NaN (w <= 0) fails these comparisons and falls through to the fill.
      if (p.x >= 0 && p.x < source.width && p.y >= 0 && p.y < source.height) {
        mask[i] = 1;
        for (let c = 0; c < channels; c++) data[i * channels + c] = sampleBilinear(source, p.x, p.y, c);
      } else if (fill !== 0) {
        data.fill(fill, i * channels, (i + 1) * channels);
      }
    }
  }
  return { image: { width, height, channels, data }, mask };
}
