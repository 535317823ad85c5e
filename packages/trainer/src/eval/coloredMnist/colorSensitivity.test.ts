import { beforeAll, describe, expect, it } from 'vitest';
import { buildColoredMnist, COLOR_CYAN, type ColoredMnistSplit } from '../../data/images/coloredMnist.ts';
import { imageAt } from '../../data/images/ImageSet.ts';
import { loadNpmMnistDigits } from '../../data/images/mnistDigits.ts';
import { colorSensitivity, type DescribeImages, swapRedGreen } from './colorSensitivity.ts';

/** Descriptors = the RGB values themselves (3 channels): colour is all they see. */
const rgb: DescribeImages = (images) => images.slice();
/** One channel, r + g + b: magenta (g, 0, g) and cyan (0, g, g) give the same value. */
const grey: DescribeImages = (images) => {
  const out = new Float32Array(images.length / 3);
  for (let i = 0; i < out.length; i++) out[i] = images[3 * i] + images[3 * i + 1] + images[3 * i + 2];
  return out;
};

describe('colorSensitivity', () => {
  let split: ColoredMnistSplit;
  beforeAll(() => {
    split = buildColoredMnist(loadNpmMnistDigits(), { seed: 0 }).ood;
  });

  it('swapRedGreen turns a magenta digit into the cyan one and back', () => {
    const k = Array.from(split.colors).indexOf(1 - COLOR_CYAN);
    const magenta = imageAt(split, k).data;
    const cyan = swapRedGreen(magenta);
    for (let i = 0; i < magenta.length; i += 3) {
      expect([cyan[i], cyan[i + 1], cyan[i + 2]]).toEqual([0, magenta[i], magenta[i + 2]]);
    }
    expect(swapRedGreen(cyan)).toEqual(magenta);
  });

  it('is 0 for descriptors blind to the colour and clearly above 0 for raw RGB, for every norm', () => {
    for (const norm of ['inf', 'l1', 'l2'] as const) {
      expect(colorSensitivity(grey, split, { images: 40, norm, batch: 16 })).toBe(0);
      expect(colorSensitivity(rgb, split, { images: 40, norm, batch: 16 })).toBeGreaterThan(0.3);
    }
  });

  it('does not depend on how the images are batched', () => {
    const whole = colorSensitivity(rgb, split, { images: 30, norm: 'inf', batch: 64 });
    expect(colorSensitivity(rgb, split, { images: 30, norm: 'inf', batch: 7 })).toBeCloseTo(whole, 10);
  });
});
