import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ImageError } from '../errors.ts';
import type { RgbImage } from '../raster/RgbImage.ts';
import { encodeRgbPng } from './encodeRgbPng.ts';

/**
 * Writes a picture to `path` as an 8-bit RGB PNG, creating the folder if needed. Throws
 * ImageError('WRITE_FAILED') with the path when the folder or file cannot be written.
 */
export async function writeRgbPng(path: string, image: RgbImage): Promise<void> {
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, encodeRgbPng(image));
  } catch (err) {
    throw new ImageError(
      'WRITE_FAILED',
      `writeRgbPng: cannot write ${path} (${(err as Error).message})`,
      path,
    );
  }
}
