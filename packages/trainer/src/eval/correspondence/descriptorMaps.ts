import type { ViewPairSample } from '@oxels/dataset';
import { assert } from '../../errors.ts';
import { describeImages } from '../../model/describeImages.ts';
import type { UNet } from '../../model/UNet.ts';

/** Descriptors under test: a trained run, or a baseline. */
export interface DescriptorMethod {
  /** Short name, the first column of the table, e.g. `trained`, `rgb`. */
  name: string;
  /** One line saying what it is, e.g. the run directory and step. */
  description: string;
  /** Descriptor maps of both views of a pair, same size as the views, same channels for A and B. */
  describe(sample: ViewPairSample): Promise<{ a: DescriptorMap; b: DescriptorMap }>;
}

/**
 * A dense descriptor map: `data` is float32 [height, width, channels], row-major, rows top-down, so the
 * descriptor of pixel (x, y) is data[(y * width + x) * channels + c]. The layout of a tfjs NHWC output
 * with the batch axis taken off. @oxels/inspect draws and checks these same maps.
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
 * A patch descriptor: each pixel's descriptor is the concatenation of the descriptors of the
 * (2 * radius + 1)^2 pixels at offsets (dx, dy) * stride around it, rows first, with coordinates clamped
 * at the borders. With a stride above 1 the patch spans a wider window at the same channel count. Pure.
 */
export function patchDescriptors(map: DescriptorMap, radius: number, stride: number): DescriptorMap {
  assert(
    Number.isInteger(radius) && radius >= 0 && Number.isInteger(stride) && stride >= 1,
    'BAD_ARGUMENT',
    () => `patchDescriptors: radius must be an integer >= 0 and stride >= 1 (got ${radius}, ${stride})`,
  );
  const { width: W, height: H, channels: C } = map;
  const side = 2 * radius + 1;
  const channels = C * side * side;
  const data = new Float32Array(W * H * channels);
  let o = 0;
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      for (let dy = -radius; dy <= radius; dy++) {
        const yy = Math.min(H - 1, Math.max(0, y + dy * stride));
        for (let dx = -radius; dx <= radius; dx++) {
          const xx = Math.min(W - 1, Math.max(0, x + dx * stride));
          const from = (yy * W + xx) * C;
          for (let c = 0; c < C; c++) data[o++] = map.data[from + c];
        }
      }
    }
  }
  return { data, width: W, height: H, channels };
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

/**
 * A hand-made local baseline: 5x5 raw colours sampled every 2 pixels (a 9x9 window, 75 channels). It
 * shows what local appearance alone achieves, which a learned descriptor should at least match.
 */
export const RGB_PATCH_METHOD: DescriptorMethod = {
  name: 'rgb-patch',
  description: 'raw colours of a 5x5 patch sampled every 2 px (9x9 window, 75 channels), the same search',
  describe: async (s) => {
    const { a, b } = await RGB_METHOD.describe(s);
    return { a: patchDescriptors(a, 2, 2), b: patchDescriptors(b, 2, 2) };
  },
};
