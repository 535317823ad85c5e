import { encode } from 'jpeg-js';
import type { RgbImage } from '../raster/RgbImage.ts';

/**
 * Encodes a picture as a baseline JPEG (jpeg-js; bytes of the whole file). Pure.
 * @param quality 1 to 100
 */
export function encodeJpeg(image: RgbImage, quality: number): Uint8Array {
  const { width, height, data } = image;
  // jpeg-js reads RGBA.
  const rgba = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    rgba.set(data.subarray(3 * i, 3 * i + 3), 4 * i);
    rgba[4 * i + 3] = 255;
  }
  return new Uint8Array(encode({ data: rgba, width, height }, quality).data);
}
