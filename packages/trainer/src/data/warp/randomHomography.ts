import type { Rng } from '@oxels/core';
import { assert } from '../../errors.ts';
import { compose3, type Mat3 } from './homography.ts';

/**
 * Ranges of a random perspective warp. Every parameter is drawn uniformly from its range (the scale
 * log-uniformly); a range of zero switches that component off. Defaults suit 32x32 images.
 */
export interface WarpOptions {
  /** Largest |rotation angle|, radians, about the image centre. Default pi: the full circle. */
  rotation: number;
  /** [min, max] isotropic scale factor, drawn log-uniformly. Default [0.8, 1.2]. */
  scale: [number, number];
  /** Largest |shear| (x += shear * y, in centred coordinates), dimensionless. Default 0.15. */
  shear: number;
  /** Largest |translation| as a fraction of the image width (x) and height (y). Default 0.1. */
  translation: number;
  /**
   * Largest |projective term| p in w = 1 + px * (u - cx) / (W / 2) + py * (v - cy) / (H / 2), i.e. the
   * relative change of w at the image edge. Default 0.1.
   */
  projective: number;
}

/** Default warp ranges for 32x32 images. */
export const DEFAULT_WARP_OPTIONS: WarpOptions = {
  rotation: Math.PI,
  scale: [0.8, 1.2],
  shear: 0.15,
  translation: 0.1,
  projective: 0.1,
};

/**
 * A random homography for an image of `width` x `height` pixels, in pixel coordinates (pixel centres at
 * +0.5). It is composed about the image centre c = (W/2, H/2), applied in this order:
 * move c to the origin, scale, shear, rotate, projective terms, move back to c plus a translation.
 * Consumes a fixed number (7) of draws from `rng`.
 *
 * @returns the 3x3 row-major matrix taking source-image pixel coordinates to warped-view coordinates.
 */
export function randomHomography(
  width: number,
  height: number,
  rng: Rng,
  options: Partial<WarpOptions> = {},
): Mat3 {
  const o = { ...DEFAULT_WARP_OPTIONS, ...options };
  const [sMin, sMax] = o.scale;
  assert(
    sMin > 0 && sMax >= sMin,
    'BAD_ARGUMENT',
    () => `randomHomography: scale must satisfy 0 < min <= max (got [${sMin}, ${sMax}])`,
  );
  assert(
    o.rotation >= 0 && o.shear >= 0 && o.translation >= 0 && o.projective >= 0 && o.projective < 1,
    'BAD_ARGUMENT',
    () =>
      `randomHomography: rotation, shear, translation must be >= 0 and projective in [0, 1) ` +
      `(got ${o.rotation}, ${o.shear}, ${o.translation}, ${o.projective})`,
  );
  const cx = width / 2;
  const cy = height / 2;
  const angle = rng.uniform(-o.rotation, o.rotation);
  const scale = Math.exp(rng.uniform(Math.log(sMin), Math.log(sMax)));
  const shear = rng.uniform(-o.shear, o.shear);
  const tx = rng.uniform(-o.translation, o.translation) * width;
  const ty = rng.uniform(-o.translation, o.translation) * height;
  // Projective terms in coordinates normalised by the half-size, so that their effect does not depend on
  // the image size; with projective < 1 they keep w well above 0 over the image for the default ranges.
  const px = rng.uniform(-o.projective, o.projective) / cx;
  const py = rng.uniform(-o.projective, o.projective) / cy;
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  return compose3(
    [1, 0, -cx, 0, 1, -cy, 0, 0, 1],
    [scale, 0, 0, 0, scale, 0, 0, 0, 1],
    [1, shear, 0, 0, 1, 0, 0, 0, 1],
    [cos, -sin, 0, sin, cos, 0, 0, 0, 1],
    [1, 0, 0, 0, 1, 0, px, py, 1],
    [1, 0, cx + tx, 0, 1, cy + ty, 0, 0, 1],
  );
}
