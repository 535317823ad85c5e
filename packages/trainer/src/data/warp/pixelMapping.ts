import { assert } from '../../errors.ts';
import { applyHomography, invert3, type Mat3, multiply3, type Point2 } from './homography.ts';

/** Where every pixel of view 1 lands in view 2. */
export interface PixelMapping {
  /** View 1 size in pixels. */
  width1: number;
  height1: number;
  /** View 2 size in pixels. */
  width2: number;
  height2: number;
  /**
   * [height1 * width1, 2] float32: subpixel (u, v) in view 2 of each view-1 pixel centre (pixel centres at
   * +0.5, docs/architecture.md#pixel-coordinates); NaN where the pixel does not land inside view 2.
   */
  xy: Float32Array;
  /** [height1 * width1] uint8: 1 where the landing point is inside [0, width2) x [0, height2) with w > 0. */
  inside: Uint8Array;
}

/**
 * The homography from view 1 to view 2 when both are warps of one source image (view k = hk * source,
 * as in the paper's 2D mode): h2 * inverse(h1).
 */
export function viewToViewHomography(h1: Mat3, h2: Mat3): Mat3 {
  return multiply3(h2, invert3(h1));
}

/**
 * The exact pixel mapping of view 1 (width1 x height1) into view 2 (width2 x height2) under the
 * homography `h12` (view-1 pixel coordinates -> view-2 pixel coordinates): each pixel centre
 * (x + 0.5, y + 0.5) of view 1 is mapped; the landing pixel index is floor(v) * width2 + floor(u).
 */
export function pixelMapping(
  h12: Mat3,
  width1: number,
  height1: number,
  width2 = width1,
  height2 = height1,
): PixelMapping {
  assert(
    [width1, height1, width2, height2].every((n) => Number.isInteger(n) && n > 0),
    'BAD_ARGUMENT',
    () => `pixelMapping: sizes must be positive integers (got ${width1}x${height1} -> ${width2}x${height2})`,
  );
  const n = width1 * height1;
  const xy = new Float32Array(2 * n);
  const inside = new Uint8Array(n);
  const p: Point2 = { x: 0, y: 0 };
  for (let y = 0; y < height1; y++) {
    for (let x = 0; x < width1; x++) {
      const i = y * width1 + x;
      applyHomography(h12, x + 0.5, y + 0.5, p);
      if (p.x >= 0 && p.x < width2 && p.y >= 0 && p.y < height2) {
        inside[i] = 1;
        xy[2 * i] = p.x;
        xy[2 * i + 1] = p.y;
      } else {
        xy[2 * i] = Number.NaN;
        xy[2 * i + 1] = Number.NaN;
      }
    }
  }
  return { width1, height1, width2, height2, xy, inside };
}

/**
 * The flat view-2 pixel index floor(v) * width2 + floor(u) that view-1 pixel `i` lands in, or -1 when it
 * lands outside. A float32 coordinate just below width2 can round up to width2; it is clamped back.
 */
export function landingPixel(mapping: PixelMapping, i: number): number {
  if (!mapping.inside[i]) return -1;
  const u = Math.min(Math.floor(mapping.xy[2 * i]), mapping.width2 - 1);
  const v = Math.min(Math.floor(mapping.xy[2 * i + 1]), mapping.height2 - 1);
  return v * mapping.width2 + u;
}
