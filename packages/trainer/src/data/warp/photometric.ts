import type { Rng } from '@oxels/core';
import { assert } from '../../errors.ts';
import { invert3, type Mat3, multiply3 } from './homography.ts';
import { clamp01, type Image2D, sampleBilinear } from './Image2D.ts';

// Deterministic photometric operations on RGB images with values in [0, 1]. Each returns a new image and
// clamps its result to [0, 1], as torchvision's ColorJitter does.

/** Rec. 601 luma weights, the grey used by saturation, contrast and hue. */
const LUMA = [0.299, 0.587, 0.114];

/** RGB -> YIQ (NTSC), whose Y is the Rec. 601 luma; rotating (I, Q) turns the hue and keeps Y. */
const RGB_TO_YIQ: Mat3 = [0.299, 0.587, 0.114, 0.595716, -0.274453, -0.321263, 0.211456, -0.522591, 0.311135];
const YIQ_TO_RGB: Mat3 = invert3(RGB_TO_YIQ);

function assertRgb(image: Image2D, fn: string): void {
  assert(
    image.channels === 3,
    'BAD_ARGUMENT',
    () => `${fn}: expected an RGB image (got ${image.channels} channels)`,
  );
}

function mapPixels(
  image: Image2D,
  fn: (r: number, g: number, b: number, out: Float32Array, o: number) => void,
) {
  const src = image.data;
  const out = new Float32Array(src.length);
  for (let o = 0; o < src.length; o += 3) fn(src[o], src[o + 1], src[o + 2], out, o);
  for (let i = 0; i < out.length; i++) out[i] = clamp01(out[i]);
  return { ...image, data: out };
}

/**
 * Reorders the colour channels: output channel c is input channel `order[c]` (e.g. [2, 1, 0] swaps red
 * and blue), as albumentations' ChannelShuffle.
 */
export function permuteChannels(image: Image2D, order: readonly [number, number, number]): Image2D {
  assertRgb(image, 'permuteChannels');
  assert(
    [...order].sort().join() === '0,1,2',
    'BAD_ARGUMENT',
    () => `permuteChannels: order must be a permutation of [0, 1, 2] (got [${order}])`,
  );
  return mapPixels(image, (r, g, b, out, o) => {
    const rgb = [r, g, b];
    out[o] = rgb[order[0]];
    out[o + 1] = rgb[order[1]];
    out[o + 2] = rgb[order[2]];
  });
}

/** Multiplies every value by `factor` (> 1 brightens), as torchvision's adjust_brightness. */
export function adjustBrightness(image: Image2D, factor: number): Image2D {
  const out = new Float32Array(image.data.length);
  for (let i = 0; i < out.length; i++) out[i] = clamp01(image.data[i] * factor);
  return { ...image, data: out };
}

/** Blends towards the image's mean luma: m + factor * (x - m) (factor < 1 lowers the contrast). */
export function adjustContrast(image: Image2D, factor: number): Image2D {
  assertRgb(image, 'adjustContrast');
  let sum = 0;
  const d = image.data;
  for (let o = 0; o < d.length; o += 3) sum += LUMA[0] * d[o] + LUMA[1] * d[o + 1] + LUMA[2] * d[o + 2];
  const mean = sum / (d.length / 3);
  return mapPixels(image, (r, g, b, out, o) => {
    out[o] = mean + factor * (r - mean);
    out[o + 1] = mean + factor * (g - mean);
    out[o + 2] = mean + factor * (b - mean);
  });
}

/** Blends each pixel with its own luma: L + factor * (x - L) (0 = grey, 1 = unchanged). */
export function adjustSaturation(image: Image2D, factor: number): Image2D {
  assertRgb(image, 'adjustSaturation');
  return mapPixels(image, (r, g, b, out, o) => {
    const l = LUMA[0] * r + LUMA[1] * g + LUMA[2] * b;
    out[o] = l + factor * (r - l);
    out[o + 1] = l + factor * (g - l);
    out[o + 2] = l + factor * (b - l);
  });
}

/**
 * Rotates the hue by `turns` of the full circle (0.5 = opposite hue) in YIQ space, which keeps the luma
 * of every pixel exactly until the result is clamped to [0, 1].
 */
export function rotateHue(image: Image2D, turns: number): Image2D {
  assertRgb(image, 'rotateHue');
  const c = Math.cos(2 * Math.PI * turns);
  const s = Math.sin(2 * Math.PI * turns);
  const m = multiply3(YIQ_TO_RGB, multiply3([1, 0, 0, 0, c, -s, 0, s, c], RGB_TO_YIQ));
  return mapPixels(image, (r, g, b, out, o) => {
    out[o] = m[0] * r + m[1] * g + m[2] * b;
    out[o + 1] = m[3] * r + m[4] * g + m[5] * b;
    out[o + 2] = m[6] * r + m[7] * g + m[8] * b;
  });
}

/**
 * Linear motion blur: the mean of `length` bilinear samples spaced 1 px apart along direction `angle`
 * (radians, 0 = +u, pi/2 = +v), centred on each pixel, clamped at the image edge (so a constant image
 * stays constant). A length below 2 returns a copy.
 */
export function motionBlur(image: Image2D, length: number, angle: number): Image2D {
  const taps = Math.round(length);
  if (taps < 2) return { ...image, data: image.data.slice() };
  const { width, height, channels } = image;
  const out = new Float32Array(image.data.length);
  const dx = Math.cos(angle);
  const dy = Math.sin(angle);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * channels;
      for (let k = 0; k < taps; k++) {
        const t = k - (taps - 1) / 2;
        const u = x + 0.5 + t * dx;
        const v = y + 0.5 + t * dy;
        for (let c = 0; c < channels; c++) out[o + c] += sampleBilinear(image, u, v, c);
      }
      for (let c = 0; c < channels; c++) out[o + c] /= taps;
    }
  }
  return { ...image, data: out };
}

/** Adds independent Gaussian noise of standard deviation `std` to every value, then clamps to [0, 1]. */
export function addGaussianNoise(image: Image2D, std: number, rng: Rng): Image2D {
  const out = new Float32Array(image.data.length);
  for (let i = 0; i < out.length; i++) out[i] = clamp01(image.data[i] + std * rng.normal());
  return { ...image, data: out };
}
