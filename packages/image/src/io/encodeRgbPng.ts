import { encode } from 'fast-png';
import type { RgbImage } from '../raster/RgbImage.ts';

/** Encodes a picture as an 8-bit RGB PNG (bytes of the whole file). Pure. */
export function encodeRgbPng(image: RgbImage): Uint8Array {
  return encode({ width: image.width, height: image.height, data: image.data, channels: 3, depth: 8 });
}
