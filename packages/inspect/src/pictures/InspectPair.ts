import type { RgbImage } from '@oxels/image';
import { CorrespondenceStatus, type Rng } from '@oxels/core';
import type { ViewPairSample } from '@oxels/dataset';
import { type Image2D, pixelMapping, randomHomography, warpImage } from '@oxels/trainer';

/**
 * Two views to draw descriptors of, and the known correspondences between them: a dataset pair, or an
 * image and a random perspective warp of it (the 2D mode's pairs).
 */
export interface InspectPair {
  /** File-name stem of its pictures, e.g. the pair key or `digit-0003`. */
  name: string;
  viewA: RgbImage;
  viewB: RgbImage;
  /** int32 [M] flat pixel indices of A that have a known match in B. */
  aIndex: Int32Array;
  /** float32 [M, 2] their subpixel (u, v) in B (docs/architecture.md#pixel-coordinates). */
  bXY: Float32Array;
}

/** A dataset pair with its MATCH correspondences (occluded, out-of-view and missed samples dropped). */
export function samplePair(sample: ViewPairSample): InspectPair {
  const { width, height, key } = sample.meta;
  const keep: number[] = [];
  for (let k = 0; k < sample.status.length; k++)
    if (sample.status[k] === CorrespondenceStatus.MATCH) keep.push(k);
  return {
    name: key,
    viewA: { width, height, data: sample.rgbA },
    viewB: { width, height, data: sample.rgbB },
    aIndex: Int32Array.from(keep, (k) => sample.aIndex[k]),
    bXY: Float32Array.from({ length: 2 * keep.length }, (_, i) => sample.bXY[2 * keep[i >> 1] + (i & 1)]),
  };
}

function toRgbImage(image: Image2D): RgbImage {
  const data = new Uint8Array(image.width * image.height * 3);
  for (let p = 0; p < image.width * image.height; p++) {
    for (let k = 0; k < 3; k++) {
      // Grey images repeat their one channel.
      const v = image.data[p * image.channels + (image.channels === 3 ? k : 0)];
      data[p * 3 + k] = Math.round(255 * Math.min(1, Math.max(0, v)));
    }
  }
  return { width: image.width, height: image.height, data };
}

/**
 * An image (view A, unchanged) and a random perspective warp of it (view B; the trainer's 2D-mode
 * homographies, default ranges, drawn from `rng`), with the exact correspondence of every pixel of A
 * whose centre lands inside B.
 * @param image [H, W, 1 or 3] float32 in [0, 1]
 */
export function warpedPair(name: string, image: Image2D, rng: Rng): InspectPair {
  const { width, height } = image;
  const h = randomHomography(width, height, rng);
  const warped = warpImage(image, h);
  const mapping = pixelMapping(h, width, height);
  const aIndex: number[] = [];
  const bXY: number[] = [];
  for (let i = 0; i < width * height; i++) {
    if (!mapping.inside[i]) continue;
    aIndex.push(i);
    bXY.push(mapping.xy[2 * i], mapping.xy[2 * i + 1]);
  }
  return {
    name,
    viewA: toRgbImage(image),
    viewB: toRgbImage(warped.image),
    aIndex: Int32Array.from(aIndex),
    bXY: Float32Array.from(bXY),
  };
}
