import { assert } from '../errors.ts';
import { describeImages } from '../model/describeImages.ts';
import type { UNet } from '../model/UNet.ts';
import type { DescriptorMethod } from './evaluateCorrespondence.ts';

/**
 * A dense descriptor map: `data` is float32 [height, width, channels], row-major, rows top-down, so the
 * descriptor of pixel (x, y) is data[(y * width + x) * channels + c]. The layout of a tfjs NHWC output
 * with the batch axis taken off; structurally the same as @oxels/inspect's DescriptorMap.
 */
export interface DescriptorMap {
  data: Float32Array;
  height: number;
  width: number;
  channels: number;
}

/**
 * The raw-colour baseline: each pixel's own RGB in [0, 1] as a 3-channel descriptor.
 * @param rgb uint8 [height, width, 3], sRGB as stored in the shards
 */
export function rgbDescriptors(rgb: Uint8Array, width: number, height: number): DescriptorMap {
  assert(
    rgb.length === width * height * 3,
    'BAD_ARGUMENT',
    () => `rgbDescriptors: ${rgb.length} values for a ${width}x${height}x3 image`,
  );
  const data = new Float32Array(rgb.length);
  for (let i = 0; i < rgb.length; i++) data[i] = rgb[i] / 255;
  return { data, height, width, channels: 3 };
}

/**
 * Descriptor maps of a pair of same-sized RGB views through `model` (evaluation mode; see
 * `describeImages`). Needs an initialised tfjs backend.
 * @param rgbA uint8 [height, width, 3] view A; `rgbB` the same for view B
 */
export function modelDescriptors(
  model: UNet,
  rgbA: Uint8Array,
  rgbB: Uint8Array,
  width: number,
  height: number,
): { a: DescriptorMap; b: DescriptorMap } {
  const n = width * height * 3;
  assert(
    rgbA.length === n && rgbB.length === n,
    'BAD_ARGUMENT',
    () =>
      `modelDescriptors: views hold ${rgbA.length} and ${rgbB.length} values (expected ${width}x${height}x3)`,
  );
  const channels = model.config.outChannels;
  // One view per forward pass: describeImages returns its array from inside tf.tidy, which walks it
  // element by element into a Set, and a Set holds at most 2^24 values (two 640x480 maps of 32 channels
  // are 19.7M; one is 9.8M).
  const describe = (rgb: Uint8Array): DescriptorMap => {
    const image = new Float32Array(n);
    for (let i = 0; i < n; i++) image[i] = rgb[i] / 255;
    return { data: describeImages(model, image, 1, height, width), height, width, channels };
  };
  return { a: describe(rgbA), b: describe(rgbB) };
}

/** The raw-colour baseline as a benchmark method (`rgbDescriptors` of both views). */
export const RGB_METHOD: DescriptorMethod = {
  name: 'rgb',
  description: 'raw pixel colour (3 channels in [0, 1]), the same search',
  describe: async (s) => ({
    a: rgbDescriptors(s.rgbA, s.meta.width, s.meta.height),
    b: rgbDescriptors(s.rgbB, s.meta.width, s.meta.height),
  }),
};
