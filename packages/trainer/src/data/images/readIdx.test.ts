import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TrainerError } from '../../errors.ts';
import { loadIdxDigits, loadIdxDirectory } from './mnistDigits.ts';
import { parseIdx, readIdx } from './readIdx.ts';

// Debian's dataset-fashion-mnist, installed by `scripts/setup.sh --test`.
const FASHION = '/usr/share/datasets/fashion-mnist';
const T10K_IMAGES = join(FASHION, 't10k-images-idx3-ubyte.gz');
const T10K_LABELS = join(FASHION, 't10k-labels-idx1-ubyte.gz');

/** Expects `promise` to reject with a TrainerError of `code` whose message matches and names `path`. */
async function expectFailure(promise: Promise<unknown>, code: string, message: RegExp, path: string) {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TrainerError);
  const e = err as TrainerError;
  expect(e.code).toBe(code);
  expect(e.message).toMatch(message);
  expect(e.message).toContain(path);
  expect(e.path).toBe(path);
}

describe('IDX files of Debian dataset-fashion-mnist', () => {
  let dir = '';
  let rawImages: Uint8Array;
  beforeAll(async () => {
    expect(existsSync(FASHION), `${FASHION} missing: apt-get install -y dataset-fashion-mnist`).toBe(true);
    dir = await mkdtemp(join(tmpdir(), 'oxels-idx-'));
    rawImages = gunzipSync(await readFile(T10K_IMAGES));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads the gzip test images and labels with their header shapes', async () => {
    const images = await readIdx(T10K_IMAGES);
    const labels = await readIdx(T10K_LABELS);
    expect(images.type).toBe('uint8');
    expect(images.dims).toEqual([10000, 28, 28]);
    expect(images.data.length).toBe(10000 * 784);
    expect(labels.dims).toEqual([10000]);
    // Fashion-MNIST's test set has 1,000 images of each of the 10 classes.
    const perClass = new Array(10).fill(0);
    for (const l of labels.data) perClass[l]++;
    expect(perClass).toEqual(new Array(10).fill(1000));
    // Images are not blank: ink covers a good part of each item of clothing.
    const mean = (images.data as Uint8Array).reduce((a, b) => a + b, 0) / images.data.length;
    expect(mean).toBeGreaterThan(40);
    expect(mean).toBeLessThan(120);
  });

  it('reads an uncompressed copy to the same values', async () => {
    const path = join(dir, 'raw-images-idx3-ubyte');
    await writeFile(path, rawImages);
    const raw = await readIdx(path);
    const gz = await readIdx(T10K_IMAGES);
    expect(raw.dims).toEqual(gz.dims);
    expect(Buffer.from(raw.data.buffer).equals(Buffer.from(gz.data.buffer))).toBe(true);
  });

  it('names the path of a truncated raw file', async () => {
    const path = join(dir, 'cut-images-idx3-ubyte');
    await writeFile(path, rawImages.subarray(0, rawImages.length - 100));
    await expectFailure(
      readIdx(path),
      'BAD_DATA',
      /truncated data \(got 7839916 bytes, expected 7840016/,
      path,
    );
  });

  it('names the path of a truncated gzip file', async () => {
    const path = join(dir, 'cut-images-idx3-ubyte.gz');
    const gz = await readFile(T10K_IMAGES);
    await writeFile(path, gz.subarray(0, gz.length >> 1));
    await expectFailure(readIdx(path), 'BAD_DATA', /corrupt or truncated gzip/, path);
  });

  it('rejects a wrong magic number', async () => {
    const path = join(dir, 'bad-magic-idx3-ubyte');
    const copy = new Uint8Array(rawImages.subarray(0, 1000));
    copy[0] = 0x12;
    await writeFile(path, copy);
    await expectFailure(
      readIdx(path),
      'BAD_DATA',
      /wrong magic number, not an IDX file \(got 0x12000803/,
      path,
    );
  });

  it('rejects a header whose count is smaller than the data (trailing bytes)', async () => {
    const path = join(dir, 'wrong-count-labels-idx1-ubyte.gz');
    const labels = gunzipSync(await readFile(T10K_LABELS));
    const copy = new Uint8Array(labels);
    new DataView(copy.buffer).setUint32(4, 9999);
    await writeFile(path, gzipSync(copy));
    await expectFailure(readIdx(path), 'BAD_DATA', /1 trailing bytes .* is the header's count wrong\?/, path);
  });

  it('rejects images and labels whose counts differ, naming both files', async () => {
    const path = join(dir, 'short-labels-idx1-ubyte');
    const labels = gunzipSync(await readFile(T10K_LABELS));
    const copy = new Uint8Array(labels.subarray(0, 8 + 500));
    new DataView(copy.buffer).setUint32(4, 500);
    await writeFile(path, copy);
    const err = await loadIdxDigits(T10K_IMAGES, path).catch((e: TrainerError) => e);
    expect(err).toBeInstanceOf(TrainerError);
    expect((err as TrainerError).message).toMatch(
      /counts differ \(got 10000 in .*t10k-images.*, 500 in .*short-labels/,
    );
  });

  it('rejects swapped image and label files', async () => {
    await expectFailure(
      loadIdxDigits(T10K_LABELS, T10K_IMAGES),
      'BAD_DATA',
      /is not an image file/,
      T10K_LABELS,
    );
  });

  it('reports a missing file as NOT_FOUND', async () => {
    await expectFailure(readIdx(join(dir, 'nope.gz')), 'NOT_FOUND', /cannot read/, join(dir, 'nope.gz'));
  });

  it('loads the whole directory, train then t10k', async () => {
    const digits = await loadIdxDirectory(FASHION);
    expect(digits.count).toBe(70000);
    expect([digits.width, digits.height]).toEqual([28, 28]);
    const test = await readIdx(T10K_IMAGES);
    // The last 10,000 images are the t10k file's, in order.
    expect(Buffer.from(digits.pixels.subarray(60000 * 784)).equals(Buffer.from(test.data.buffer))).toBe(true);
  });

  it('reports a directory without IDX files as NOT_FOUND', async () => {
    const empty = await mkdtemp(join(dir, 'empty-'));
    await expectFailure(loadIdxDirectory(empty), 'NOT_FOUND', /no MNIST IDX files/, empty);
  });
});

describe('parseIdx', () => {
  it('decodes big-endian multi-byte types', () => {
    const bytes = new Uint8Array(4 + 8 + 4 * 4);
    const view = new DataView(bytes.buffer);
    view.setUint32(0, 0x00000d02);
    view.setUint32(4, 2);
    view.setUint32(8, 2);
    const values = [1.5, -2, 3.25, 1e-3];
    for (let i = 0; i < 4; i++) view.setFloat32(12 + 4 * i, values[i]);
    const idx = parseIdx(bytes, 'mem');
    expect(idx.type).toBe('float32');
    expect(idx.dims).toEqual([2, 2]);
    expect(Array.from(idx.data)).toEqual(values.map(Math.fround));
  });

  it('rejects a truncated header', () => {
    const bytes = Uint8Array.from([0, 0, 8, 3, 0, 0, 0, 1]);
    expect(() => parseIdx(bytes, 'mem')).toThrow(/truncated header \(got 8 bytes, expected >= 16/);
  });
});
