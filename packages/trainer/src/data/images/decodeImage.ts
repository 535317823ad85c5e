import { type DecodedImage, decodeImage as decodeImageFile, ImageError } from '@oxels/image';
import { TrainerError } from '../../errors.ts';
import type { Image2D } from '../warp/Image2D.ts';

/**
 * Decodes a PNG (any bit depth, grey, grey+alpha, RGB, RGBA or palette) or baseline/progressive JPEG
 * (@oxels/image's decodeImage, 100 megapixels at most) into an [H, W, 3] float32 RGB image in [0, 1] (the
 * file's values, no colour management). Alpha is composited over black. Throws TrainerError('BAD_DATA')
 * naming `path` when the bytes are neither format or fail to decode.
 */
export function decodeImage(bytes: Uint8Array, path: string): Image2D {
  let image: DecodedImage;
  try {
    image = decodeImageFile(bytes, path);
  } catch (err) {
    if (!(err instanceof ImageError)) throw err;
    throw new TrainerError('BAD_DATA', err.message, path, err);
  }
  return toFloatRgb(image);
}

function toFloatRgb(image: DecodedImage): Image2D {
  const { width, height, channels } = image;
  const max = image.depth === 16 ? 65535 : 255;
  const values = Float32Array.from(image.data, (v) => v / max);
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
