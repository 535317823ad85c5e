/** What a PNG's IHDR chunk declares: the size and sample format its decoder will allocate for. */
export interface PngHeader {
  width: number;
  height: number;
  /** Bits per sample: 1, 2, 4, 8 or 16. */
  depth: number;
  /** Samples per pixel in the file (1 for grey and palette, 2, 3 or 4). */
  channels: number;
}

/** Samples per pixel of each PNG colour type (greyscale, truecolour, indexed, grey+alpha, RGBA). */
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

/**
 * Reads a PNG's IHDR without decoding the image, so that a corrupt header (a height of 16 million
 * rows) can be refused before a decoder allocates for it: fast-png allocates height x row bytes
 * before it finds the rows missing. Walks every chunk header because fast-png lets a later IHDR
 * replace the first.
 *
 * @param bytes the whole file (its signature already checked)
 * @returns the header, or null when IHDR is not the first chunk or not the only one (both required
 *   by the PNG specification), or is cut short
 */
export function readPngHeader(bytes: Uint8Array): PngHeader | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const type = (at: number) => String.fromCharCode(...bytes.subarray(at + 4, at + 8));
  const first = 8;
  if (bytes.length < first + 8 + 13 || type(first) !== 'IHDR' || view.getUint32(first) !== 13) return null;
  // Chunk: length (4), type (4), data (length), CRC (4).
  for (let at = first + 12 + 13; at + 8 <= bytes.length; at += 12 + view.getUint32(at)) {
    const t = type(at);
    if (t === 'IHDR') return null;
    if (t === 'IEND') break;
  }
  const data = first + 8;
  return {
    width: view.getUint32(data),
    height: view.getUint32(data + 4),
    depth: bytes[data + 8],
    channels: CHANNELS[bytes[data + 9]] ?? 0,
  };
}
