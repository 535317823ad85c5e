import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encode as encodePng } from 'fast-png';
import { encode as encodeJpeg } from 'jpeg-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TrainerError } from '../../errors.ts';
import { decodeImage } from './decodeImage.ts';
import { imageAt } from './ImageSet.ts';
import { loadImageFolder } from './imageFolder.ts';

/** An RGBA buffer of w x h pixels, every pixel `rgba`. */
const solid = (w: number, h: number, rgba: number[]) =>
  Uint8Array.from({ length: w * h * 4 }, (_, i) => rgba[i % 4]);

describe('loadImageFolder', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'oxels-folder-'));
    await mkdir(join(dir, 'sub'));
    // a.png: 64x32 RGB, red outer quarters, green centre half: 'cover' keeps only the green.
    const wide = new Uint8Array(64 * 32 * 3);
    for (let p = 0; p < 64 * 32; p++) wide[p * 3 + (p % 64 >= 16 && p % 64 < 48 ? 1 : 0)] = 255;
    await writeFile(join(dir, 'a.png'), encodePng({ width: 64, height: 32, data: wide, channels: 3 }));
    // b.jpg: a flat blue JPEG.
    const jpeg = encodeJpeg({ width: 40, height: 40, data: solid(40, 40, [0, 0, 255, 255]) }, 95);
    await writeFile(join(dir, 'b.jpg'), jpeg.data);
    // c.png: 16-bit grey at half intensity.
    const grey16 = new Uint16Array(8 * 8).fill(32768);
    await writeFile(
      join(dir, 'c.png'),
      encodePng({ width: 8, height: 8, data: grey16, channels: 1, depth: 16 }),
    );
    // d.png: RGBA white at alpha 0.5: composited over black.
    await writeFile(
      join(dir, 'd.png'),
      encodePng({ width: 4, height: 4, data: solid(4, 4, [255, 255, 255, 128]), channels: 4 }),
    );
    // e.png: not a PNG at all; notes.txt: ignored by extension; sub/f.JPEG: found recursively.
    await writeFile(join(dir, 'e.png'), 'this is not an image');
    await writeFile(join(dir, 'notes.txt'), 'ignored');
    await writeFile(join(dir, 'sub', 'f.JPEG'), jpeg.data);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('decodes PNG and JPEG, resizes, skips an undecodable file with a warning', async () => {
    const warnings: string[] = [];
    const set = await loadImageFolder(dir, { width: 16, height: 16, onWarning: (m) => warnings.push(m) });
    expect(set.paths.map((p) => p.slice(dir.length + 1))).toEqual([
      'a.png',
      'b.jpg',
      'c.png',
      'd.png',
      'sub/f.JPEG',
    ]);
    expect(set.count).toBe(5);
    expect(set.pixels.length).toBe(5 * 16 * 16 * 3);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(join(dir, 'e.png'));
    const meanOf = (i: number) => {
      const d = imageAt(set, i).data;
      const m = [0, 0, 0];
      for (let k = 0; k < d.length; k++) m[k % 3] += d[k] / (d.length / 3);
      return m;
    };
    const close = (a: number[], b: number[], tol: number) => {
      for (let c = 0; c < 3; c++) expect(Math.abs(a[c] - b[c])).toBeLessThan(tol);
    };
    close(meanOf(0), [0, 1, 0], 1e-6); // centre crop of the wide image: all green
    close(meanOf(1), [0, 0, 1], 0.02); // JPEG blue, within compression error
    close(meanOf(2), [0.5, 0.5, 0.5], 0.01);
    close(meanOf(3), [0.5, 0.5, 0.5], 0.01);
  });

  it("stretches with fit 'stretch' and ignores subfolders when not recursive", async () => {
    const set = await loadImageFolder(dir, { width: 16, height: 16, fit: 'stretch', recursive: false });
    expect(set.count).toBe(4);
    const a = imageAt(set, 0).data;
    // Stretched: the left edge column is red again.
    expect(a[0]).toBeGreaterThan(0.99);
    expect(a[1]).toBeLessThan(0.01);
  });

  it('refuses a PNG whose header claims 268 million rows, before decoding it', () => {
    const png = encodePng({ width: 4, height: 4, data: new Uint8Array(48), channels: 3 });
    new DataView(png.buffer, png.byteOffset).setUint32(20, 0x10000000); // IHDR height
    const path = 'folder/huge.png';
    expect(() => decodeImage(png, path)).toThrow(TrainerError);
    expect(() => decodeImage(png, path)).toThrow(
      `decodeImage: cannot decode ${path} (4x268435456, over 100 megapixels)`,
    );
  });

  it('reports a missing folder, an empty folder and a folder of undecodable files as NOT_FOUND', async () => {
    // Outside `dir`, so that the other tests never see them.
    const empty = await mkdtemp(join(tmpdir(), 'oxels-empty-'));
    const broken = await mkdtemp(join(tmpdir(), 'oxels-broken-'));
    await writeFile(join(broken, 'x.jpg'), Uint8Array.from([0xff, 0xd8, 0xff, 0, 1, 2]));
    const cases: [string, RegExp][] = [
      [join(dir, 'missing'), /is not a directory/],
      [empty, /no \.png, \.jpg or \.jpeg files/],
      [broken, /none of the 1 image files .* could be decoded/],
    ];
    for (const [path, message] of cases) {
      const err = await loadImageFolder(path, { recursive: false }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TrainerError);
      expect((err as TrainerError).code).toBe('NOT_FOUND');
      expect((err as TrainerError).message).toMatch(message);
      expect((err as TrainerError).path).toBe(path);
    }
    await rm(empty, { recursive: true });
    await rm(broken, { recursive: true });
  });
});
