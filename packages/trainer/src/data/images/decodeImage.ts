import { convertIndexedToRgb, decode as decodePng, type DecodedPng } from 'fast-png';
import { readPngHeader } from '@oxels/image';
import { decode as decodeJpeg } from 'jpeg-js';
import { TrainerError } from '../../errors.ts';
import type { Image2D } from '../warp/Image2D.ts';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47];
const JPEG_SIGNATURE = [0xff, 0xd8, 0xff];

const startsWith = (bytes: Uint8Array, sig: number[]) => sig.every((b, i) => bytes[i] === b);

/** Largest decoded size accepted, in megapixels: jpeg-js refuses more by default, and so do we for PNG. */
const MAX_MEGAPIXELS = 100;

/**
 * Decodes a PNG (any bit depth, grey, grey+alpha, RGB, RGBA or palette) or baseline/progressive JPEG,
 * recognised by its signature, into an [H, W, 3] float32 RGB image in [0, 1] (the file's values, no colour
 * management). Alpha is composited over black. Throws TrainerError('BAD_DATA') naming `path` when the bytes
 * are neither format or fail to decode.
 */
export function decodeImage(bytes: Uint8Array, path: string): Image2D {
  if (startsWith(bytes, PNG_SIGNATURE)) {
    // Before fast-png allocates height x row bytes for what a corrupt header claims.
    const header = readPngHeader(bytes);
    if (!header || header.width * header.height > MAX_MEGAPIXELS * 1e6) {
      const what = header
        ? `${header.width}x${header.height}, over ${MAX_MEGAPIXELS} megapixels`
        : 'a corrupt header';
      throw new TrainerError('BAD_DATA', `decodeImage: cannot decode ${path} (${what})`, path);
    }
  }
  try {
    if (startsWith(bytes, PNG_SIGNATURE)) return pngToImage(decodePng(bytes));
    if (startsWith(bytes, JPEG_SIGNATURE)) {
      const jpeg = decodeJpeg(bytes, {
        useTArray: true,
        formatAsRGBA: false,
        maxResolutionInMP: MAX_MEGAPIXELS,
      });
      const data = new Float32Array(jpeg.width * jpeg.height * 3);
      for (let i = 0; i < data.length; i++) data[i] = jpeg.data[i] / 255;
      return { width: jpeg.width, height: jpeg.height, channels: 3, data };
    }
  } catch (err) {
    // jpeg-js throws plain strings for some corrupt files.
    const reason = err instanceof Error ? err.message : String(err);
    throw new TrainerError('BAD_DATA', `decodeImage: cannot decode ${path} (${reason})`, path);
  }
  throw new TrainerError(
    'BAD_DATA',
    `decodeImage: ${path} is neither PNG nor JPEG (unknown signature)`,
    path,
  );
}

/** fast-png leaves 1/2/4-bit grey samples packed, rows padded to whole bytes. */
function unpackLowDepth(png: DecodedPng): Float32Array {
  const { width, height, depth, channels, data } = png;
  const out = new Float32Array(width * height * channels);
  const rowBytes = Math.ceil((depth * channels * width) / 8);
  const max = (1 << depth) - 1;
  for (let y = 0; y < height; y++) {
    for (let s = 0; s < width * channels; s++) {
      const bit = s * depth;
      const byte = data[y * rowBytes + (bit >> 3)];
      out[y * width * channels + s] = ((byte >> (8 - depth - (bit & 7))) & max) / max;
    }
  }
  return out;
}

function pngToImage(png: DecodedPng): Image2D {
  const { width, height } = png;
  if (width * height > MAX_MEGAPIXELS * 1e6) {
    throw new Error(`image too large (${width}x${height}, limit ${MAX_MEGAPIXELS} megapixels)`);
  }
  let values: Float32Array;
  let channels = png.channels;
  if (png.palette) {
    const rgb = convertIndexedToRgb(png);
    channels = rgb.length / (width * height);
    values = Float32Array.from(rgb, (v) => v / 255);
  } else if (png.depth < 8) {
    values = unpackLowDepth(png);
  } else {
    const max = png.depth === 16 ? 65535 : 255;
    values = Float32Array.from(png.data, (v) => v / max);
  }
  const hasAlpha = channels === 2 || channels === 4;
  const colour = hasAlpha ? channels - 1 : channels;
  const data = new Float32Array(width * height * 3);
  for (let p = 0; p < width * height; p++) {
    const alpha = hasAlpha ? values[p * channels + colour] : 1;
    for (let c = 0; c < 3; c++) {
      data[p * 3 + c] = values[p * channels + (colour === 1 ? 0 : c)] * alpha;
    }
  }
  return { width, height, channels: 3, data };
}
