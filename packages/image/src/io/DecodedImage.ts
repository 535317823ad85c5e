/**
 * A decoded PNG or JPEG: samples of 8 or 16 bits, rows top-down, channels interleaved. Palette images
 * arrive expanded through their palette and 1-, 2- and 4-bit grey scaled to 8 bits, so `channels` and
 * `depth` say all there is to know of the layout.
 */
export interface DecodedImage {
  width: number;
  height: number;
  /** 1 grey, 2 grey + alpha, 3 RGB, 4 RGBA. */
  channels: 1 | 2 | 3 | 4;
  /** Bits per sample: 16 exactly when `data` is a Uint16Array. */
  depth: 8 | 16;
  /** [height, width, channels] samples, row-major. */
  data: Uint8Array | Uint16Array;
}

/** What a PNG is encoded from: the bit depth follows the array type (Uint16Array: 16 bits). */
export type PngPixels = Omit<DecodedImage, 'depth'>;
