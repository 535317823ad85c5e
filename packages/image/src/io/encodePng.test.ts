import { inflateSync } from 'node:zlib';
import { decode as decodeFastPng } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { readPngHeader } from './pngHeader.ts';
import { encodePng } from './encodePng.ts';

describe('encodePng', () => {
  it.each([1, 2, 3, 4] as const)(
    'writes %i-channel 8- and 16-bit PNGs that another decoder reads back',
    (channels) => {
      const width = 5;
      const height = 3;
      const n = width * height * channels;
      const eight = Uint8Array.from({ length: n }, (_, i) => (i * 37) % 256);
      // Samples above 255 and a view that does not start its buffer (pngjs reads 16-bit from the buffer).
      const sixteen = new Uint16Array(n + 1).map((_, i) => (i * 4099) % 65536).subarray(1);
      for (const data of [eight, sixteen]) {
        const png = decodeFastPng(encodePng({ width, height, channels, data }));
        expect([png.width, png.height, png.channels, png.depth]).toEqual([
          width,
          height,
          channels,
          data.BYTES_PER_ELEMENT * 8,
        ]);
        expect(Array.from(png.data)).toEqual(Array.from(data));
      }
    },
  );

  it("filters every row with Sub (type 1), the shards' setting", () => {
    const png = encodePng({ width: 4, height: 2, channels: 3, data: new Uint8Array(24).fill(9) });
    expect(readPngHeader(png)).toEqual({ width: 4, height: 2, depth: 8, channels: 3 });
    // The 8-byte signature and the IHDR chunk (25 bytes), then the IDAT holding the zlib stream.
    const view = new DataView(png.buffer, png.byteOffset);
    const idat = 8 + 25;
    expect(new TextDecoder().decode(png.subarray(idat + 4, idat + 8))).toBe('IDAT');
    const raw = inflateSync(png.subarray(idat + 8, idat + 8 + view.getUint32(idat)));
    expect([raw[0], raw[1 + 12]]).toEqual([1, 1]);
  });
});
