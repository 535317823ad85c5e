import { convertIndexedToRgb, decode as decodePng } from 'fast-png';
import jpeg from 'jpeg-js';
import { AssetLoadError } from '../errors.ts';
import type { ImageRGBA } from './Asset.ts';
import { readPngHeader } from '@oxels/image';

/** Largest texture we decode (pixels); ShapeNet's are at most a few megapixels. */
const MAX_TEXTURE_MEGAPIXELS = 64;

/**
 * Decodes a PNG or JPEG file (recognised by its signature, not its name: ShapeNet has `.jpg`
 * files that hold PNG data) into 8-bit RGBA, rows top-down.
 *
 * @param bytes the whole file
 * @param path for the error message
 * @throws AssetLoadError for another format or a corrupt image
 */
export function decodeImage(bytes: Uint8Array, path: string): ImageRGBA {
  if (isPng(bytes)) checkPngSize(bytes, path);
  try {
    if (isPng(bytes)) return pngToRgba(bytes);
    if (bytes[0] === 0xff && bytes[1] === 0xd8) {
      const img = jpeg.decode(bytes, {
        useTArray: true,
        formatAsRGBA: true,
        maxResolutionInMP: MAX_TEXTURE_MEGAPIXELS,
      });
      return { width: img.width, height: img.height, data: img.data };
    }
  } catch (error) {
    throw new AssetLoadError(`decodeImage: corrupt image ${path} (${String(error)})`, path, error);
  }
  throw new AssetLoadError(`decodeImage: unsupported image format ${path} (expected PNG or JPEG)`, path);
}

/**
 * Refuses a PNG whose header is malformed or declares more than MAX_TEXTURE_MEGAPIXELS, before
 * fast-png allocates for it (jpeg-js has the same limit as an option).
 */
function checkPngSize(bytes: Uint8Array, path: string): void {
  const header = readPngHeader(bytes);
  if (!header) {
    throw new AssetLoadError(
      `decodeImage: corrupt image ${path} (IHDR is not the first and only header chunk)`,
      path,
    );
  }
  const { width, height } = header;
  if (width * height > MAX_TEXTURE_MEGAPIXELS * 1e6) {
    throw new AssetLoadError(
      `decodeImage: corrupt image ${path} (its header says ${width}x${height} pixels, over the ${MAX_TEXTURE_MEGAPIXELS}-megapixel limit of textures)`,
      path,
    );
  }
}

function isPng(bytes: Uint8Array): boolean {
  return bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47;
}

/** Any PNG colour type and depth -> RGBA8. */
function pngToRgba(bytes: Uint8Array): ImageRGBA {
  const png = decodePng(bytes);
  const { width, height } = png;
  const n = width * height;
  let src: ArrayLike<number> = png.data;
  let channels = png.channels;
  let depth: number = png.depth;
  if (png.palette) {
    src = convertIndexedToRgb(png);
    channels = png.palette[0].length;
    depth = 8;
  }
  const shift = depth === 16 ? 8 : 0;
  const out = new Uint8Array(n * 4);
  for (let i = 0; i < n; i++) {
    const s = i * channels;
    const grey = channels <= 2;
    const r = src[s] >> shift;
    out[i * 4] = r;
    out[i * 4 + 1] = grey ? r : src[s + 1] >> shift;
    out[i * 4 + 2] = grey ? r : src[s + 2] >> shift;
    out[i * 4 + 3] = channels === 2 || channels === 4 ? src[s + channels - 1] >> shift : 255;
  }
  return { width, height, data: out };
}
