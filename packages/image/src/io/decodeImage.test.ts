import { deflateSync } from 'node:zlib';
import { encode as encodeFastPng } from 'fast-png';
import { encode as encodeJpegJs } from 'jpeg-js';
import { describe, expect, it } from 'vitest';
import { ImageError } from '../errors.ts';
import { decodeImage } from './decodeImage.ts';

/** CRC-32 of PNG chunks (ISO 3309), to write a PNG by hand. */
function crc32(bytes: Uint8Array): number {
  let c = ~0;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

/** A PNG written from its raw scanlines (each led by its filter byte), independently of any encoder. */
function handPng(width: number, height: number, depth: number, colourType: number, rows: number[][]) {
  const chunk = (type: string, data: Uint8Array) => {
    const out = new Uint8Array(12 + data.length);
    const view = new DataView(out.buffer);
    view.setUint32(0, data.length);
    out.set(new TextEncoder().encode(type), 4);
    out.set(data, 8);
    view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
    return out;
  };
  const ihdr = new Uint8Array(13);
  new DataView(ihdr.buffer).setUint32(0, width);
  new DataView(ihdr.buffer).setUint32(4, height);
  ihdr.set([depth, colourType, 0, 0, 0], 8);
  const raw = Uint8Array.from(rows.flatMap((row) => [0, ...row]));
  return new Uint8Array([
    ...[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
    ...chunk('IHDR', ihdr),
    ...chunk('IDAT', deflateSync(raw)),
    ...chunk('IEND', new Uint8Array(0)),
  ]);
}

describe('decodeImage', () => {
  it('unpacks 1-, 2- and 4-bit grey to 8 bits, v * 255 / (2^depth - 1)', () => {
    // 5 pixels a row, so the rows end inside a byte (padding bits must not become pixels).
    const two = handPng(5, 2, 2, 0, [
      [0b00011011, 0b11000000],
      [0b10010011, 0b01000000],
    ]);
    expect(decodeImage(two, 'two.png')).toEqual({
      width: 5,
      height: 2,
      channels: 1,
      depth: 8,
      data: new Uint8Array([0, 85, 170, 255, 255, 170, 85, 0, 255, 85]),
    });
    const one = handPng(3, 1, 1, 0, [[0b10100000]]);
    expect(Array.from(decodeImage(one, 'one.png').data)).toEqual([255, 0, 255]);
    const four = handPng(2, 1, 4, 0, [[0x0f]]);
    expect(Array.from(decodeImage(four, 'four.png').data)).toEqual([0, 255]);
  });

  it('expands a palette (with its alpha) and keeps 16-bit samples', () => {
    const palette = encodeFastPng({
      width: 3,
      height: 1,
      data: new Uint8Array([1, 0, 1]),
      channels: 1,
      depth: 8,
      palette: [
        [10, 20, 30],
        [40, 50, 60],
      ],
    });
    expect(decodeImage(palette, 'p.png')).toEqual({
      width: 3,
      height: 1,
      channels: 3,
      depth: 8,
      data: new Uint8Array([40, 50, 60, 10, 20, 30, 40, 50, 60]),
    });
    const rgba = encodeFastPng({
      width: 1,
      height: 2,
      data: new Uint16Array([65535, 256, 0, 7, 1, 2, 3, 40000]),
      channels: 4,
      depth: 16,
    });
    const deep = decodeImage(rgba, 'd.png');
    expect(deep.data).toBeInstanceOf(Uint16Array);
    expect([deep.channels, deep.depth, Array.from(deep.data)]).toEqual([
      4,
      16,
      [65535, 256, 0, 7, 1, 2, 3, 40000],
    ]);
  });

  it('decodes a JPEG, by its signature and not its name, to 8-bit RGB', () => {
    const rgba = new Uint8Array(16 * 8 * 4).map((_, i) => (i % 4 === 3 ? 255 : i % 4 === 0 ? 200 : 40));
    const jpeg = new Uint8Array(encodeJpegJs({ data: rgba, width: 16, height: 8 }, 95).data);
    const image = decodeImage(jpeg, 'really.png');
    expect([image.width, image.height, image.channels, image.depth]).toEqual([16, 8, 3, 8]);
    // A flat colour survives JPEG to within a level or two.
    for (let i = 0; i < image.data.length; i += 3) {
      expect(Math.abs(image.data[i] - 200)).toBeLessThanOrEqual(2);
      expect(Math.abs(image.data[i + 2] - 40)).toBeLessThanOrEqual(2);
    }
  });

  it('names the file of an unknown or corrupt image', () => {
    const unknown = (() => decodeImage(new Uint8Array([1, 2, 3, 4]), 'x.tga')) as () => never;
    expect(unknown).toThrow(ImageError);
    expect(unknown).toThrow('decodeImage: x.tga is neither PNG nor JPEG (unknown signature)');
    const err = (() => {
      try {
        return decodeImage(new Uint8Array([0xff, 0xd8, 0, 0]), 'y.jpg');
      } catch (e) {
        return e as ImageError;
      }
    })() as ImageError;
    expect([err.code, err.path]).toEqual(['CORRUPT_IMAGE', 'y.jpg']);
    expect(err.message).toMatch(/^decodeImage: cannot decode y\.jpg \(.+\)$/);
    const cut = handPng(4, 4, 8, 2, [[1, 2, 3]]).subarray(0, 40);
    expect(() => decodeImage(cut, 'cut.png')).toThrow(/^decodeImage: cannot decode cut\.png \(/);
  });

  // Found by test/faults/fuzzReaders (image case 1505, seed 28: "set u32 at 20 to 0x1 (LE)" in a shard's
  // 32x24 16-bit instance PNG): fast-png allocated 1 GiB for the rows the header declared, then found
  // them missing.
  it('refuses a PNG header declaring 16 million rows, or a second IHDR, before allocating', () => {
    const png = encodeFastPng({
      width: 32,
      height: 24,
      data: new Uint16Array(32 * 24),
      channels: 1,
      depth: 16,
    });
    const tall = new Uint8Array(png);
    new DataView(tall.buffer).setUint32(20, 0x1000000);
    const buffers = process.memoryUsage().arrayBuffers;
    expect(() => decodeImage(tall, 'tall.png')).toThrow(
      'decodeImage: cannot decode tall.png (32x16777216, over 100 megapixels)',
    );
    expect(process.memoryUsage().arrayBuffers - buffers).toBeLessThan(2 ** 20);
    // fast-png lets a later IHDR replace the first: one that says 16 million rows, after the real one.
    const twice = new Uint8Array([...png.subarray(0, 33), ...tall.subarray(8, 33), ...png.subarray(33)]);
    expect(() => decodeImage(twice, 'twice.png')).toThrow(
      'decodeImage: cannot decode twice.png (IHDR is not the first and only header chunk)',
    );
  });
});
