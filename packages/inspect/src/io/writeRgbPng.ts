import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { InspectError } from '../errors.ts';
import { encodeRgbPng } from '../pictures/encodeRgbPng.ts';
import type { RgbImage } from '../pictures/RgbImage.ts';

/** Writes a picture to `path` as an 8-bit RGB PNG, creating the folder if needed. */
export async function writeRgbPng(path: string, image: RgbImage): Promise<void> {
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, encodeRgbPng(image));
  } catch (err) {
    throw new InspectError(
      'BAD_ARGUMENT',
      `writeRgbPng: cannot write ${path} (${(err as Error).message})`,
      path,
    );
  }
}
