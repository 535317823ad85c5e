import type { LossNorm } from '../../constants.ts';
import type { ColoredMnistSplit } from '../../data/images/coloredMnist.ts';
import { imageAt } from '../../data/images/ImageSet.ts';
import { assert } from '../../errors.ts';
import { descriptorGap } from '../correspondence/nearestNeighbours.ts';

/** Descriptor maps [count, H, W, C] (flat) of `count` RGB images [count, H, W, 3] in [0, 1]. */
export type DescribeImages = (images: Float32Array, count: number) => Float32Array;

/**
 * The same images with red and green swapped: Colored MNIST's magenta digit (g, 0, g) becomes the cyan
 * one (0, g, g) and back, nothing else changes.
 */
export function swapRedGreen(images: Float32Array): Float32Array {
  const out = images.slice();
  for (let i = 0; i < out.length; i += 3) {
    out[i] = images[i + 1];
    out[i + 1] = images[i];
  }
  return out;
}

/**
 * How much a backbone's descriptors depend on a digit's colour, relative to how much they tell digits
 * apart: the mean over pixels of dist(D(x), D(x')), x' the same digit in the other colour, over the
 * mean dist(D(x_k), D(x_k+1)) between the same pixel of consecutive images (other digits, any colour);
 * dist is the run's norm. 0 for colour-blind descriptors; deterministic, unlike the probe. Measured on
 * 600-step runs (README): about 0.11-0.13 where the probe reads colour (out-of-domain 15-19%), 0.04 and
 * below where it hardly does.
 * @param images how many images of the split, from the first (at least 2)
 */
export function colorSensitivity(
  describe: DescribeImages,
  split: ColoredMnistSplit,
  options: { images: number; norm: LossNorm; batch: number },
): number {
  const count = Math.min(options.images, split.count);
  assert(count >= 2, 'BAD_ARGUMENT', () => `colorSensitivity: needs at least 2 images (got ${count})`);
  const pixels = split.width * split.height;
  const gap = descriptorGap(options.norm);
  let colour = 0;
  let between = 0;
  let previous: { d: Float32Array; o: number } | null = null;
  for (let start = 0; start < count; start += options.batch) {
    const n = Math.min(options.batch, count - start);
    const images = new Float32Array(n * pixels * 3);
    for (let k = 0; k < n; k++) images.set(imageAt(split, start + k).data, k * pixels * 3);
    const d = describe(images, n);
    const swapped = describe(swapRedGreen(images), n);
    const c = d.length / (n * pixels);
    for (let k = 0; k < n; k++) {
      for (let p = 0; p < pixels; p++) {
        const o = (k * pixels + p) * c;
        colour += gap(d, o, swapped, o, c);
        if (previous) between += gap(d, o, previous.d, previous.o + p * c, c);
      }
      previous = { d, o: k * pixels * c };
    }
  }
  return between > 0 ? colour / count / (between / (count - 1)) : 0;
}
