import type { Rng } from '@oxels/core';
import { assert } from '../../errors.ts';
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
   * Default 0.
   */
  channelShuffle: number;
  /** Brightness strength: multiply by a factor in [1 - s, 1 + s]. Default 0.5. */
  brightness: number;
  /** Contrast strength: blend with the mean luma by a factor in [1 - s, 1 + s]. Default 0.4. */
  contrast: number;
  /** Saturation strength: blend with the pixel's luma by a factor in [1 - s, 1 + s]. Default 1. */
  saturation: number;
  /** Largest |hue rotation| in turns of the colour circle (0.5 = opposite hue), at most 0.5. Default 0.1. */
  hue: number;
  /** Largest motion-blur length in pixels: a length drawn from {1, ..., max} (1 = none), any angle. Default 3. */
  motionBlur: number;
  /** Standard deviation of additive Gaussian noise, in [0, 1] intensity units. Default 0.02. */
  noise: number;
}

/**
 * Default jitter for 32x32 images: colour changes between the two views of a pair, but little enough that it
 * still tells images apart. That is the balance the paper's Colored MNIST finding needs: the within-image
 * term gains nothing from colour and the jitter makes it pay for it, while the between-image term can use
 * it. Measured at the 2D default budget with norm l1 (README, Colored MNIST): lambda = 0 drops colour and
 * lambda = 0.9 keeps it. With hue 0.5 and a channel shuffle on every view (the default until then)
 * lambda = 0.9 lost its colour code as well.
 */
export const DEFAULT_PHOTOMETRIC_OPTIONS: PhotometricOptions = {
  channelShuffle: 0,
  brightness: 0.5,
  contrast: 0.4,
  saturation: 1,
  hue: 0.1,
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
