import { convertIndexedToRgb, type DecodedPng, decode as decodeFastPng } from 'fast-png';
import { decode as decodeJpegJs } from 'jpeg-js';
import { ImageError } from '../errors.ts';
import type { DecodedImage } from './DecodedImage.ts';
import { readPngHeader } from './pngHeader.ts';

/** Options of decodeImage. */
export interface DecodeImageOptions {
  /**
   * Largest image decoded, in megapixels (width x height / 1e6). A PNG's header is checked against it
   * before any pixel is allocated; jpeg-js applies it while parsing.
   */
  maxMegapixels: number;
}

/** Defaults of decodeImage: jpeg-js's own limit of 100 megapixels, for PNG too. */
export const DEFAULT_DECODE_IMAGE_OPTIONS: DecodeImageOptions = { maxMegapixels: 100 };

const isPng = (bytes: Uint8Array) =>
  bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47;
const isJpeg = (bytes: Uint8Array) => bytes[0] === 0xff && bytes[1] === 0xd8;

/**
 * Decodes a PNG (1- to 16-bit; grey, grey + alpha, RGB, RGBA or palette) or a baseline/progressive JPEG,
 * recognised by its signature and not by its name (ShapeNet has `.jpg` files that hold PNG data). The
 * file's values, no colour management; a JPEG comes out as 8-bit RGB.
 *
 * @param bytes the whole file
 * @param path names the file in errors
 * @throws ImageError('UNKNOWN_FORMAT') for neither signature, ImageError('CORRUPT_IMAGE') for a header
 *   that is malformed or over `maxMegapixels`, or data that fails to decode; both name `path`
 */
export function decodeImage(
  bytes: Uint8Array,
  path: string,
  options: Partial<DecodeImageOptions> = {},
): DecodedImage {
  const { maxMegapixels } = { ...DEFAULT_DECODE_IMAGE_OPTIONS, ...options };
  const corrupt = (reason: string, cause?: unknown) =>
    new ImageError('CORRUPT_IMAGE', `decodeImage: cannot decode ${path} (${reason})`, path, cause);
  if (isPng(bytes)) {
    // Before fast-png allocates height x row bytes for what a corrupt header claims (16 million rows).
    const header = readPngHeader(bytes);
    if (!header) throw corrupt('IHDR is not the first and only header chunk');
    if (header.width * header.height > maxMegapixels * 1e6) {
      throw corrupt(`${header.width}x${header.height}, over ${maxMegapixels} megapixels`);
    }
  } else if (!isJpeg(bytes)) {
    throw new ImageError(
      'UNKNOWN_FORMAT',
      `decodeImage: ${path} is neither PNG nor JPEG (unknown signature)`,
      path,
    );
  }
  try {
    if (isPng(bytes)) return pngSamples(decodeFastPng(bytes));
    const jpeg = decodeJpegJs(bytes, {
      useTArray: true,
      formatAsRGBA: false,
      maxResolutionInMP: maxMegapixels,
    });
    return { width: jpeg.width, height: jpeg.height, channels: 3, depth: 8, data: jpeg.data };
  } catch (err) {
    // jpeg-js throws plain strings for some corrupt files.
    throw corrupt(err instanceof Error ? err.message : String(err), err);
  }
}

/** fast-png's output with palettes expanded and 1/2/4-bit grey (left packed, rows padded) unpacked. */
function pngSamples(png: DecodedPng): DecodedImage {
  const { width, height } = png;
  if (png.palette) {
    const data = convertIndexedToRgb(png);
    return { width, height, channels: png.palette[0].length as 3 | 4, depth: 8, data };
  }
  const channels = png.channels as 1 | 2 | 3 | 4;
  if (png.depth === 16) return { width, height, channels, depth: 16, data: png.data as Uint16Array };
  if (png.depth === 8) return { width, height, channels, depth: 8, data: png.data as Uint8Array };
  return { width, height, channels, depth: 8, data: unpackLowDepth(png) };
}

/**
 * 1-, 2- and 4-bit samples (grey only: the PNG specification allows no other low-depth colour type) to
 * 8 bits, v * 255 / (2^depth - 1): an integer, since 1, 3 and 15 divide 255, so v / (2^depth - 1) is
 * exactly the 8-bit value / 255.
 */
function unpackLowDepth(png: DecodedPng): Uint8Array {
  const { width, height, depth, channels, data } = png;
  const out = new Uint8Array(width * height * channels);
  const rowBytes = Math.ceil((depth * channels * width) / 8);
  const max = (1 << depth) - 1;
  for (let y = 0; y < height; y++) {
    for (let s = 0; s < width * channels; s++) {
      const bit = s * depth;
      const byte = data[y * rowBytes + (bit >> 3)];
      out[y * width * channels + s] = (((byte >> (8 - depth - (bit & 7))) & max) * 255) / max;
    }
  }
  return out;
}
