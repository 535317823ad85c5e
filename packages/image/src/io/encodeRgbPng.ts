import type { RgbImage } from '../raster/RgbImage.ts';
import { encodePng } from './encodePng.ts';

/** Encodes a picture as an 8-bit RGB PNG (bytes of the whole file). Pure. */
export function encodeRgbPng(image: RgbImage): Uint8Array {
  return encodePng({ width: image.width, height: image.height, channels: 3, data: image.data });
}
