import { encode as encodePng } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { AssetLoadError } from '../errors.ts';
import { decodeImage } from './decodeImage.ts';

describe('decodeImage', () => {
  it('turns grey, grey+alpha, 16-bit and palette PNGs into RGBA8', () => {
    const grey = encodePng({ width: 2, height: 1, data: new Uint8Array([0, 200]), channels: 1, depth: 8 });
    expect(decodeImage(grey, 'g.png').data).toEqual(new Uint8Array([0, 0, 0, 255, 200, 200, 200, 255]));
    const greyAlpha = encodePng({
      width: 1,
      height: 1,
      data: new Uint8Array([50, 60]),
      channels: 2,
      depth: 8,
    });
    expect(decodeImage(greyAlpha, 'ga.png').data).toEqual(new Uint8Array([50, 50, 50, 60]));
    const deep = encodePng({
      width: 1,
      height: 1,
      data: new Uint16Array([65535, 256, 0]),
      channels: 3,
      depth: 16,
    });
    expect(decodeImage(deep, 'd.png').data).toEqual(new Uint8Array([255, 1, 0, 255]));
    const palette = encodePng({
      width: 2,
      height: 1,
      data: new Uint8Array([1, 0]),
      channels: 1,
      depth: 8,
      palette: [
        [10, 20, 30],
        [40, 50, 60],
      ],
    });
    expect(decodeImage(palette, 'p.png').data).toEqual(new Uint8Array([40, 50, 60, 255, 10, 20, 30, 255]));
  });

  it('names the file of an unknown or corrupt image', () => {
    expect(() => decodeImage(new Uint8Array([1, 2, 3, 4]), 'x.tga')).toThrow(AssetLoadError);
    expect(() => decodeImage(new Uint8Array([1, 2, 3, 4]), 'x.tga')).toThrow(
      /unsupported image format x\.tga/,
    );
    expect(() => decodeImage(new Uint8Array([0xff, 0xd8, 0, 0]), 'y.jpg')).toThrow(/corrupt image y\.jpg/);
  });

  // Found by test/faults/fuzzReaders (image case 1505, seed 28: "set u32 at 20 to 0x1 (LE)" in a shard's
  // 32x24 16-bit instance PNG): fast-png allocated 1 GiB for the rows the header declared, then found
  // them missing.
  it('refuses a PNG header declaring 16 million rows, or a second IHDR, before allocating', () => {
    const png = encodePng({ width: 32, height: 24, data: new Uint16Array(32 * 24), channels: 1, depth: 16 });
    const tall = new Uint8Array(png);
    new DataView(tall.buffer).setUint32(20, 0x1000000);
    const buffers = process.memoryUsage().arrayBuffers;
    expect(() => decodeImage(tall, 'tall.png')).toThrow(
      'decodeImage: corrupt image tall.png (its header says 32x16777216 pixels, over the 64-megapixel limit of textures)',
    );
    expect(process.memoryUsage().arrayBuffers - buffers).toBeLessThan(2 ** 20);
    // fast-png lets a later IHDR replace the first: one that says 16 million rows, after the real one.
    const twice = new Uint8Array([...png.subarray(0, 33), ...tall.subarray(8, 33), ...png.subarray(33)]);
    expect(() => decodeImage(twice, 'twice.png')).toThrow(
      'decodeImage: corrupt image twice.png (IHDR is not the first and only header chunk)',
    );
  });
});
