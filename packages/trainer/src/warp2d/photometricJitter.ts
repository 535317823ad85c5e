import type { Rng } from '@oxels/raycast';
import { assert } from '../errors.ts';
import type { Image2D } from './Image2D.ts';
import {
  addGaussianNoise,
  adjustBrightness,
  adjustContrast,
  adjustSaturation,
  motionBlur,
  permuteChannels,
  rotateHue,
} from './photometric.ts';

/** The six orders of the RGB channels. */
const CHANNEL_ORDERS: readonly (readonly [number, number, number])[] = [
  [0, 1, 2],
  [0, 2, 1],
  [1, 0, 2],
  [1, 2, 0],
  [2, 0, 1],
  [2, 1, 0],
];

/**
 * Strengths of the random photometric jitter applied to each view. Every component is switched off by 0.
 * Factors follow torchvision's ColorJitter: a strength s draws a factor uniformly from [max(0, 1 - s), 1 + s].
 */
export interface PhotometricOptions {
  /**
   * Probability of reordering the RGB channels, uniformly among the six orders (identity included).
   * Default 1.
   */
  channelShuffle: number;
  /** Brightness strength: multiply by a factor in [1 - s, 1 + s]. Default 0.5. */
  brightness: number;
  /** Contrast strength: blend with the mean luma by a factor in [1 - s, 1 + s]. Default 0.4. */
  contrast: number;
  /** Saturation strength: blend with the pixel's luma by a factor in [1 - s, 1 + s]. Default 1. */
  saturation: number;
  /** Largest |hue rotation| in turns of the colour circle (0.5 = opposite hue), at most 0.5. Default 0.5. */
  hue: number;
  /** Largest motion-blur length in pixels: a length drawn from {1, ..., max} (1 = none), any angle. Default 3. */
  motionBlur: number;
  /** Standard deviation of additive Gaussian noise, in [0, 1] intensity units. Default 0.02. */
  noise: number;
}

/**
 * Default jitter for 32x32 images. Strong on colour on purpose: the two views of a pair must agree in
 * little but shape, or the within-image loss leaves colour in the descriptors. Hue 0.5 reaches every hue
 * and saturation 1 reaches grey, yet a hue rotation keeps the luma, and Colored MNIST's magenta and cyan
 * differ in luma (0.41 vs 0.70) and in chroma over luma: with those alone, a probe trained for 12 epochs
 * still read the colour off lambda = 0 descriptors (83% in-domain, 17% out-of-domain). A channel shuffle
 * maps magenta (g, 0, g) and cyan (0, g, g) onto each other, so that the jittered views of both colours
 * have one distribution; the same probe then read less colour, not none (77% / 32%, 600 steps of 8 pairs).
 */
export const DEFAULT_PHOTOMETRIC_OPTIONS: PhotometricOptions = {
  channelShuffle: 1,
  brightness: 0.5,
  contrast: 0.4,
  saturation: 1,
  hue: 0.5,
  motionBlur: 3,
  noise: 0.02,
};

/** Every component off: the jitter returns a copy of its input. */
export const NO_PHOTOMETRIC_JITTER: PhotometricOptions = {
  channelShuffle: 0,
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
 * Order: channel shuffle, brightness, contrast, saturation, hue, motion blur, noise. Only the enabled components draw from
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
  assert(
    o.channelShuffle >= 0 && o.channelShuffle <= 1,
    'BAD_ARGUMENT',
    () => `photometricJitter: channelShuffle is a probability in [0, 1] (got ${o.channelShuffle})`,
  );
  let out: Image2D = { ...image, data: image.data.slice() };
  if (o.channelShuffle > 0 && rng.next() < o.channelShuffle) {
    out = permuteChannels(out, CHANNEL_ORDERS[rng.int(CHANNEL_ORDERS.length)]);
  }
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
