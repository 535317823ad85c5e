import { optionName } from '@oxels/core';
import { TrainerError } from '../errors.ts';

/**
 * The default crop fitted to smaller views: the largest square no larger than `crop` that fits in
 * `views` with sides divisible by `unit` (the U-Net's, `unetSizeUnit`); null when none does. Square,
 * as the default is: on 128x96 views 96x96, not the whole view, so that the window still moves (a
 * window that never moves lets descriptors encode position in it, see `ViewPairSampleOptions.cropShift`).
 * @param crop the default [width, height] in pixels
 * @param views [width, height] of the data's views
 */
export function fitDefaultCrop(
  crop: readonly [number, number],
  views: readonly [number, number],
  unit: number,
): [number, number] | null {
  const side = Math.floor(Math.min(...crop, ...views) / unit) * unit;
  return side > 0 ? [side, side] : null;
}

/**
 * Throws TrainerError('BAD_ARGUMENT') with a `--crop` that would work when `crop` (null: whole views)
 * does not fit in `views` or, for whole views, they are not multiples of `unit`.
 * @param where the data, for the message (a directory, or "--size" of the live generator)
 */
export function checkCropFits(
  crop: readonly [number, number] | null,
  views: readonly [number, number],
  unit: number,
  where: string,
): void {
  const [w, h] = views;
  const [cw, ch] = crop ?? views;
  if (cw <= w && ch <= h && cw % unit === 0 && ch % unit === 0) return;
  // The largest crop no larger than the one asked for, per side, that the U-Net takes.
  const [sw, sh] = [cw, ch].map((c, i) => Math.floor(Math.min(c, views[i]) / unit) * unit);
  const fix =
    sw > 0 && sh > 0
      ? `${optionName('crop')} ${sw}x${sh} would (or smaller, sides divisible by ${unit})`
      : `they are smaller than the U-Net's ${unit}-pixel unit`;
  const problem = crop
    ? `${optionName('crop')} ${cw}x${ch} does not fit the ${w}x${h} views of ${where}`
    : `${optionName('crop')} none: the ${w}x${h} views of ${where} are not multiples of ${unit}, as the U-Net needs`;
  throw new TrainerError('BAD_ARGUMENT', `train: ${problem}; ${fix}`);
}
