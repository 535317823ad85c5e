import { PNG } from 'pngjs';
import type { PngPixels } from './DecodedImage.ts';

/** PNG colour type of each channel count: grey, grey + alpha, truecolour, truecolour + alpha. */
const COLOR_TYPE = { 1: 0, 2: 4, 3: 2, 4: 6 } as const;

/**
 * Encodes pixels as a PNG file (the whole file's bytes), 16-bit when `data` is a Uint16Array. pngjs,
 * for Node's native zlib (2.4x faster than fast-png's pure-JS deflate), a fixed Sub filter and deflate
 * level 3: throughput over the last percent of file size. The shards' images are written here, so
 * these options fix their bytes: change them and every dataset's shards change. Pure.
 */
export function encodePng(pixels: PngPixels): Uint8Array {
  const { width, height, channels, data } = pixels;
  const colorType = COLOR_TYPE[channels];
  const options = {
    width,
    height,
    colorType,
    inputColorType: colorType,
    inputHasAlpha: channels === 2 || channels === 4,
    bitDepth: (data instanceof Uint16Array ? 16 : 8) as 8 | 16,
    deflateLevel: 3,
    filterType: 1,
  } as const;
  const png = new PNG(options);
  // pngjs reads 16-bit samples through a Uint16Array over the whole buffer: give it one of its own.
  const own = data.byteOffset === 0 ? data : data.slice();
  png.data = Buffer.from(own.buffer, own.byteOffset, own.byteLength);
  return PNG.sync.write(png, options);
}
