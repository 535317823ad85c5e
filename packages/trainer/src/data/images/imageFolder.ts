import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { assert, TrainerError } from '../../errors.ts';
import type { Image2D } from '../warp/Image2D.ts';
import { decodeImage } from './decodeImage.ts';
import { type ImageSet, storeImage } from './ImageSet.ts';
import { resizeBilinear } from './resizeBilinear.ts';

/** How `loadImageFolder` finds and sizes images. */
export interface ImageFolderOptions {
  /** Output width in pixels. Default 32. */
  width: number;
  /** Output height in pixels. Default 32. */
  height: number;
  /**
   * 'cover': crop the centre to the output aspect ratio, then resize (no distortion);
   * 'stretch': resize the whole image. Default 'cover'.
   */
  fit: 'cover' | 'stretch';
  /** Also read subfolders (e.g. one per class). Default true. */
  recursive: boolean;
  /** Receives one message per skipped (undecodable) file, with its path. Default: ignore. */
  onWarning: (message: string) => void;
}

/** Defaults of `loadImageFolder`. */
export const DEFAULT_IMAGE_FOLDER_OPTIONS: ImageFolderOptions = {
  width: 32,
  height: 32,
  fit: 'cover',
  recursive: true,
  onWarning: () => {},
};

/** The images of a folder, resized, with the path each came from. */
export interface ImageFolderSet extends ImageSet {
  /** [count] path of each image, in the (sorted) order of `pixels`. */
  paths: string[];
}

const IMAGE_EXTENSION = /\.(png|jpe?g)$/i;

async function listImages(dir: string, recursive: boolean): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const files: string[] = [];
  for (const e of entries) {
    const path = join(dir, e.name);
    if (e.isDirectory() && recursive) files.push(...(await listImages(path, recursive)));
    else if (e.isFile() && IMAGE_EXTENSION.test(e.name)) files.push(path);
  }
  return files;
}

/** The centre crop of `image` with the aspect ratio width : height. */
function centreCrop(image: Image2D, width: number, height: number): Image2D {
  const cropW = Math.min(image.width, Math.round((image.height * width) / height));
  const cropH = Math.min(image.height, Math.round((image.width * height) / width));
  if (cropW === image.width && cropH === image.height) return image;
  const x0 = Math.floor((image.width - cropW) / 2);
  const y0 = Math.floor((image.height - cropH) / 2);
  const data = new Float32Array(cropW * cropH * 3);
  for (let y = 0; y < cropH; y++) {
    const src = ((y0 + y) * image.width + x0) * 3;
    data.set(image.data.subarray(src, src + cropW * 3), y * cropW * 3);
  }
  return { width: cropW, height: cropH, channels: 3, data };
}

/**
 * Loads every PNG and JPEG file (by extension, decoded by signature) of `dir` as a 2D image source, in
 * sorted path order, resized to width x height. An undecodable file is skipped with a message to
 * `onWarning`. Throws TrainerError('NOT_FOUND') naming `dir` when it does not exist, is not a directory,
 * holds no image files, or none of them decodes.
 */
export async function loadImageFolder(
  dir: string,
  options: Partial<ImageFolderOptions> = {},
): Promise<ImageFolderSet> {
  const o = { ...DEFAULT_IMAGE_FOLDER_OPTIONS, ...options };
  assert(
    Number.isInteger(o.width) && Number.isInteger(o.height) && o.width > 0 && o.height > 0,
    'BAD_ARGUMENT',
    () => `loadImageFolder: size must be positive integers (got ${o.width}x${o.height})`,
  );
  const isDir = await stat(dir).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (!isDir) {
    throw new TrainerError('NOT_FOUND', `loadImageFolder: ${dir} is not a directory (check the path)`, dir);
  }
  const paths = (await listImages(dir, o.recursive)).sort();
  if (paths.length === 0) {
    throw new TrainerError(
      'NOT_FOUND',
      `loadImageFolder: no .png, .jpg or .jpeg files in ${dir}` +
        (o.recursive ? '' : ' (subfolders not searched: set recursive)'),
      dir,
    );
  }
  const kept: string[] = [];
  // Stored as 8-bit per image as we go, so that a big folder never holds its float copies all at once.
  const stored: Uint8Array[] = [];
  const perImage = o.width * o.height * 3;
  for (const path of paths) {
    let image: Image2D;
    try {
      image = decodeImage(await readFile(path), path);
    } catch (err) {
      if (!(err instanceof TrainerError)) throw err;
      o.onWarning(`loadImageFolder: skipped an undecodable file: ${err.message}`);
      continue;
    }
    const framed = o.fit === 'cover' ? centreCrop(image, o.width, o.height) : image;
    const pixels = new Uint8Array(perImage);
    storeImage(pixels, 0, resizeBilinear(framed, o.width, o.height));
    stored.push(pixels);
    kept.push(path);
  }
  if (stored.length === 0) {
    throw new TrainerError(
      'NOT_FOUND',
      `loadImageFolder: none of the ${paths.length} image files in ${dir} could be decoded`,
      dir,
    );
  }
  const pixels = new Uint8Array(stored.length * perImage);
  for (let i = 0; i < stored.length; i++) pixels.set(stored[i], i * perImage);
  return { count: stored.length, width: o.width, height: o.height, pixels, paths: kept };
}
