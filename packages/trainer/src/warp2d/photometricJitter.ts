import type { Rng } from '@oxels/raycast';
import { assert } from '../errors.ts';
import type { Image2D } from './Image2D.ts';
import {
  addGaussianNoise,
  adjustBrightness,
  adjustContrast,
  adjustSaturation,
  motionBlur,
  rotateHue,
} from './photometric.ts';

/**
 * Strengths of the random photometric jitter applied to each view. Every component is switched off by 0.
 * Factors follow torchvision's ColorJitter: a strength s draws a factor uniformly from [max(0, 1 - s), 1 + s].
 */
export interface PhotometricOptions {
  /** Brightness strength: multiply by a factor in [1 - s, 1 + s]. Default 0.2. */
  brightness: number;
  /** Contrast strength: blend with the mean luma by a factor in [1 - s, 1 + s]. Default 0.2. */
  contrast: number;
  /** Saturation strength: blend with the pixel's luma by a factor in [1 - s, 1 + s]. Default 0.2. */
  saturation: number;
  /** Largest |hue rotation| in turns of the colour circle (0.5 = opposite hue), at most 0.5. Default 0.05. */
  hue: number;
  /** Largest motion-blur length in pixels: a length drawn from {1, ..., max} (1 = none), any angle. Default 3. */
  motionBlur: number;
  /** Standard deviation of additive Gaussian noise, in [0, 1] intensity units. Default 0.02. */
  noise: number;
}

/** Default jitter for 32x32 images. */
export const DEFAULT_PHOTOMETRIC_OPTIONS: PhotometricOptions = {
  brightness: 0.2,
  contrast: 0.2,
  saturation: 0.2,
  hue: 0.05,
  motionBlur: 3,
  noise: 0.02,
};

/** Every component off: the jitter returns a copy of its input. */
export const NO_PHOTOMETRIC_JITTER: PhotometricOptions = {
  brightness: 0,
  contrast: 0,
  saturation: 0,
  hue: 0,
  motionBlur: 0,
  noise: 0,
};

/** A factor drawn uniformly from [max(0, 1 - s), 1 + s]. */
function factor(rng: Rng, strength: number): number {
  return rng.uniform(Math.max(0, 1 - strength), 1 + strength);
}

/**
 * Applies random photometric jitter to an RGB image ([H, W, 3] float32 in [0, 1]) and returns a new image.
 * Order: brightness, contrast, saturation, hue, motion blur, noise. Only the enabled components draw from
 * `rng`, so switching one off changes the draws of the others.
 */
export function photometricJitter(
  image: Image2D,
  rng: Rng,
  options: Partial<PhotometricOptions> = {},
): Image2D {
  const o = { ...DEFAULT_PHOTOMETRIC_OPTIONS, ...options };
  assert(
    o.brightness >= 0 && o.contrast >= 0 && o.saturation >= 0 && o.motionBlur >= 0 && o.noise >= 0,
    'BAD_ARGUMENT',
    () => `photometricJitter: strengths must be >= 0 (got ${JSON.stringify(o)})`,
  );
  assert(
    o.hue >= 0 && o.hue <= 0.5,
    'BAD_ARGUMENT',
    () => `photometricJitter: hue must be in [0, 0.5] turns (got ${o.hue})`,
  );
  let out: Image2D = { ...image, data: image.data.slice() };
  if (o.brightness > 0) out = adjustBrightness(out, factor(rng, o.brightness));
  if (o.contrast > 0) out = adjustContrast(out, factor(rng, o.contrast));
  if (o.saturation > 0) out = adjustSaturation(out, factor(rng, o.saturation));
  if (o.hue > 0) out = rotateHue(out, rng.uniform(-o.hue, o.hue));
  if (o.motionBlur >= 2) {
    const length = 1 + rng.int(Math.floor(o.motionBlur));
    out = motionBlur(out, length, rng.uniform(0, Math.PI));
  }
  if (o.noise > 0) out = addGaussianNoise(out, o.noise, rng);
  return out;
}
