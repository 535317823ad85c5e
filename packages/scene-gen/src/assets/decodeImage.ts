import { type DecodedImage, decodeImage as decodeImageFile, ImageError } from '@oxels/image';
import { AssetLoadError } from '../errors.ts';
import type { ImageRGBA } from './Asset.ts';

/** Largest texture we decode (pixels); ShapeNet's are at most a few megapixels. */
const MAX_TEXTURE_MEGAPIXELS = 64;

/**
 * Decodes a texture, PNG or JPEG (@oxels/image's decodeImage: recognised by its signature, not its
 * name), into 8-bit RGBA, rows top-down: grey repeated, 16-bit samples cut to their high byte, alpha 255
 * where the file has none.
 *
 * @param bytes the whole file
 * @param path for the error message
 * @throws AssetLoadError naming `path` for another format, a corrupt image or one over 64 megapixels
 */
export function decodeImage(bytes: Uint8Array, path: string): ImageRGBA {
  let image: DecodedImage;
  try {
    image = decodeImageFile(bytes, path, { maxMegapixels: MAX_TEXTURE_MEGAPIXELS });
  } catch (error) {
    if (!(error instanceof ImageError)) throw error;
    throw new AssetLoadError(error.message, path, error);
  }
  return toRgba8(image);
}

function toRgba8(image: DecodedImage): ImageRGBA {
  const { width, height, channels, data } = image;
  const n = width * height;
  const shift = image.depth === 16 ? 8 : 0;
  const grey = channels <= 2;
  const alpha = channels === 2 || channels === 4;
  const out = new Uint8Array(n * 4);
  for (let i = 0; i < n; i++) {
    const s = i * channels;
    const r = data[s] >> shift;
    out[i * 4] = r;
    out[i * 4 + 1] = grey ? r : data[s + 1] >> shift;
    out[i * 4 + 2] = grey ? r : data[s + 2] >> shift;
    out[i * 4 + 3] = alpha ? data[s + channels - 1] >> shift : 255;
  }
  return { width, height, data: out };
}
