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
});
