import { encode as encodePng } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { AssetLoadError } from '../errors.ts';
import { decodeImage } from './decodeImage.ts';

describe('decodeImage', () => {
  // Palettes and low bit depths are @oxels/image's decodeImage's to expand (its tests); here the RGBA8 of
  // what it returns.
  it('turns grey, grey+alpha and 16-bit PNGs into RGBA8', () => {
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
  });

  it('throws an AssetLoadError naming the file of an unknown, corrupt or too large image', () => {
    expect(() => decodeImage(new Uint8Array([1, 2, 3, 4]), 'x.tga')).toThrow(AssetLoadError);
    expect(() => decodeImage(new Uint8Array([1, 2, 3, 4]), 'x.tga')).toThrow(
      /x\.tga is neither PNG nor JPEG/,
    );
    expect(() => decodeImage(new Uint8Array([0xff, 0xd8, 0, 0]), 'y.jpg')).toThrow(/cannot decode y\.jpg/);
    // Textures stop at 64 megapixels (@oxels/image's default is 100), before any pixel is allocated.
    const png = encodePng({ width: 8, height: 8, data: new Uint8Array(64), channels: 1, depth: 8 });
    const big = new Uint8Array(png);
    new DataView(big.buffer).setUint32(16, 10_000);
    new DataView(big.buffer).setUint32(20, 6_500);
    const buffers = process.memoryUsage().arrayBuffers;
    expect(() => decodeImage(big, 'big.png')).toThrow(
      'decodeImage: cannot decode big.png (10000x6500, over 64 megapixels)',
    );
    expect(process.memoryUsage().arrayBuffers - buffers).toBeLessThan(2 ** 20);
  });
});
