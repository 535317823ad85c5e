import { blit, createRgbImage, type Rgb, type RgbImage, upscaleNearest } from '@oxels/image';
import { assert } from '../errors.ts';
import { type DescriptorMap, descriptorMap } from './DescriptorMap.ts';
import { fitPca, type PcaBasis, pcaToRgb } from './pcaToRgb.ts';

/** Options of `pcaPairPicture`. */
export interface PcaPairOptions {
  /** Integer upscaling of each view (small views, e.g. 32x32 digits, stay readable). */
  scale: number;
  /** Pixels between the two views and around them. */
  gap: number;
}

/** Defaults of `pcaPairPicture`: no upscaling, 4-pixel gaps. */
export const DEFAULT_PCA_PAIR_OPTIONS: PcaPairOptions = { scale: 1, gap: 4 };

/** Pixels used to fit the basis: enough for stable axes, cheap at 640x480. */
const FIT_PIXELS = 40_000;
const BACKGROUND: Rgb = [40, 40, 48];

/**
 * Both views' descriptors as colours through ONE PCA basis, fitted on the pixels of A and B together, so
 * that equal descriptors get equal colours in the two views (a correspondence shows as the same colour).
 * Pure.
 * @returns A | B side by side (each W*scale x H*scale, `gap` between and around) and the basis
 */
export function pcaPairPicture(
  mapA: DescriptorMap,
  mapB: DescriptorMap,
  options: Partial<PcaPairOptions> = {},
): { image: RgbImage; basis: PcaBasis } {
  const o = { ...DEFAULT_PCA_PAIR_OPTIONS, ...options };
  assert(
    mapA.channels === mapB.channels && mapA.width === mapB.width,
    'BAD_ARGUMENT',
    () =>
      `pcaPairPicture: maps must share width and channels (got ${mapA.width}x${mapA.channels} and ${mapB.width}x${mapB.channels})`,
  );
  // A and B stacked vertically form one map to fit on.
  const both = new Float32Array(mapA.data.length + mapB.data.length);
  both.set(mapA.data);
  both.set(mapB.data, mapA.data.length);
  const stacked = descriptorMap(both, mapA.height + mapB.height, mapA.width, mapA.channels);
  const stride = Math.max(1, Math.floor((stacked.width * stacked.height) / FIT_PIXELS));
  const basis = fitPca(stacked, { stride });
  const a = upscaleNearest(pcaToRgb(mapA, { basis }), o.scale);
  const b = upscaleNearest(pcaToRgb(mapB, { basis }), o.scale);
  const image = createRgbImage(
    a.width + b.width + 3 * o.gap,
    Math.max(a.height, b.height) + 2 * o.gap,
    BACKGROUND,
  );
  blit(image, a, o.gap, o.gap);
  blit(image, b, a.width + 2 * o.gap, o.gap);
  return { image, basis };
}
