import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decode } from 'fast-png';
import { afterAll, describe, expect, it } from 'vitest';
import { ImageError } from '../errors.ts';
import { createRgbImage, setPixel } from '../raster/RgbImage.ts';
import { encodeRgbPng } from './encodeRgbPng.ts';
import { writeRgbPng } from './writeRgbPng.ts';

const dir = mkdtempSync(join(tmpdir(), 'oxels-image-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('writeRgbPng', () => {
  it('writes an 8-bit RGB PNG that decodes to the same pixels, creating folders', async () => {
    const image = createRgbImage(3, 2, [10, 20, 30]);
    setPixel(image, 2, 1, [250, 0, 5]);
    const path = join(dir, 'a', 'b', 'c.png');
    await writeRgbPng(path, image);
    const png = decode(readFileSync(path));
    expect([png.width, png.height, png.channels, png.depth]).toEqual([3, 2, 3, 8]);
    expect(Array.from(png.data)).toEqual(Array.from(image.data));
    expect(readFileSync(path)).toEqual(Buffer.from(encodeRgbPng(image)));
  });

  it('names the path when it cannot write', async () => {
    const blocker = join(dir, 'file');
    writeFileSync(blocker, 'x');
    const path = join(blocker, 'x.png');
    const err = await writeRgbPng(path, createRgbImage(1, 1)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImageError);
    expect((err as ImageError).code).toBe('WRITE_FAILED');
    expect((err as ImageError).path).toBe(path);
    expect((err as Error).message).toMatch(/^writeRgbPng: cannot write .*file\/x\.png/);
  });
});
