import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  decodeNpy,
  decodeSample,
  encodeNpy,
  encodeSample,
  listShards,
  readShard,
  ShardWriter,
  type ViewPairSample,
} from '@oxels/dataset';
import { afterAll, describe, expect, it } from 'vitest';
import { testSample as sample } from '../test/testDataset.ts';

const dir = mkdtempSync(join(tmpdir(), 'oxels-shards-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npy', () => {
  it('round-trips each dtype with a 64-byte aligned header', () => {
    for (const [arr, shape] of [
      [Float32Array.from([1.5, -2, Number.NaN, 4]), [2, 2]],
      [Int32Array.from([-1, 2 ** 30, 3]), [3]],
      [Uint8Array.from([0, 255]), [2]],
      [Uint16Array.from([65535, 1, 2, 3, 4, 5]), [2, 3]],
    ] as const) {
      const bytes = encodeNpy(arr, [...shape]);
      const headerLength = new DataView(bytes.buffer).getUint16(8, true);
      expect((10 + headerLength) % 64).toBe(0);
      const { data, shape: back } = decodeNpy(bytes);
      expect(back).toEqual(shape);
      expect(Array.from(data)).toEqual(Array.from(arr));
      expect(data.constructor).toBe(arr.constructor);
    }
    expect(() => encodeNpy(Float32Array.from([1, 2]), [3])).toThrow(/holds 3 values \(got 2\)/);
    expect(() => decodeNpy(encodeNpy(Int32Array.from([1, 2]), [2]).slice(0, 70), 'x.npy')).toThrow(
      /x.npy: truncated/,
    );
  });
});

describe('shards', () => {
  it('write atomically, read back equal, and open with plain tar and numpy', async () => {
    const writer = new ShardWriter(dir, 0);
    writer.add(sample(0));
    writer.add(sample(1));
    expect(existsSync(join(dir, 'shard-000000.tar'))).toBe(false);
    const record = await writer.close();
    expect(readdirSync(dir)).toEqual(['shard-000000.tar']);
    expect(record.samples).toBe(2);
    expect(record.bytes).toBe(readFileSync(join(dir, record.name)).length);

    const back: ViewPairSample[] = [];
    for await (const s of readShard(join(dir, record.name))) back.push(s);
    expect(back.map((s) => s.meta.key)).toEqual(['r000-p000000', 'r000-p000001']);
    const original = sample(1);
    expect(back[1].meta).toEqual(original.meta);
    for (const key of [
      'rgbA',
      'rgbB',
      'aIndex',
      'bXY',
      'status',
      'depthA',
      'depthB',
      'instA',
      'instB',
    ] as const) {
      expect(Array.from(back[1][key]!)).toEqual(Array.from(original[key]!));
    }

    // A plain tar reader sees every file, in order.
    const listing = execFileSync('tar', ['-tf', join(dir, record.name)], { encoding: 'utf8' })
      .trim()
      .split('\n');
    expect(listing.slice(0, 6)).toEqual([
      'r000-p000000.json',
      'r000-p000000.a.png',
      'r000-p000000.b.png',
      'r000-p000000.a_index.npy',
      'r000-p000000.b_xy.npy',
      'r000-p000000.status.npy',
    ]);
    // numpy reads the .npy files with their standard header.
    const script = `
import tarfile, io, sys, numpy as np
t = tarfile.open(sys.argv[1])
xy = np.load(io.BytesIO(t.extractfile('r000-p000001.b_xy.npy').read()))
d = np.load(io.BytesIO(t.extractfile('r000-p000001.a.depth.npy').read()))
print(xy.dtype, xy.shape, xy[0].tolist(), d.dtype, d.shape, round(float(d[3, 5]), 5))`;
    const out = execFileSync('/usr/bin/python3', ['-c', script, join(dir, record.name)], {
      encoding: 'utf8',
    });
    expect(out.trim()).toBe('float32 (3, 2) [2.25, 1.5] float32 (4, 6) 2.3');
  });

  it('gives the same bytes for the same samples', async () => {
    const write = async (index: number) => {
      const w = new ShardWriter(dir, index);
      w.add(sample(4));
      return w.close();
    };
    const [a, b] = [await write(10), await write(11)];
    expect(a.sha256).toBe(b.sha256);
  });

  it('reports a truncated shard, a missing directory and a directory without shards by path', async () => {
    const path = join(dir, 'shard-000020.tar');
    const w = new ShardWriter(dir, 20);
    w.add(sample(2));
    await w.close();
    truncateSync(path, 1500);
    const read = async () => {
      for await (const _ of readShard(path));
    };
    await expect(read()).rejects.toThrow(/shard-000020.tar/);
    expect(() => listShards(join(dir, 'nope'))).toThrow(/nope is not a directory/);
    const empty = mkdtempSync(join(tmpdir(), 'oxels-empty-'));
    writeFileSync(join(empty, 'shard-000000.tar.tmp'), '');
    expect(() => listShards(empty)).toThrow(/holds no shard-NNNNNN.tar/);
    rmSync(empty, { recursive: true });
  });

  it('decodes images on first read, so correspondence data reads without them and a bad PNG is named then', () => {
    const files = new Map(
      encodeSample(sample(3)).map((f) => [f.name.slice(f.name.indexOf('.') + 1), f.data]),
    );
    files.set('a.png', Uint8Array.from([137, 80, 78, 71, 1, 2, 3]));
    const back = decodeSample('r000-p000003', files, 'shard-000030.tar');
    expect(Array.from(back.aIndex)).toEqual([1, 5, 20]);
    expect(Array.from(back.rgbB)).toEqual(Array.from(sample(3).rgbB));
    expect(() => back.rgbA).toThrow(/shard-000030.tar: r000-p000003.a.png is not a readable PNG/);
    files.set('b.png', encodeSample(sample(3, 4, 4))[2].data);
    expect(() => decodeSample('r000-p000003', files, 'shard-000030.tar').rgbB).toThrow(
      /r000-p000003.b.png is 4x4x3 \(8-bit\), expected 6x4x3 8-bit/,
    );
  });

  // The PNG header declaring 16 million rows that test/faults/fuzzReaders found in decodeImage: the
  // shards' PNGs went through the same decoder.
  it('refuses a PNG whose header declares another size before decoding it', () => {
    const files = new Map(
      encodeSample(sample(3)).map((f) => [f.name.slice(f.name.indexOf('.') + 1), f.data]),
    );
    const tall = new Uint8Array(files.get('a.inst.png')!);
    new DataView(tall.buffer).setUint32(20, 0x1000000);
    files.set('a.inst.png', tall);
    const back = decodeSample('r000-p000003', files, 'shard-000030.tar');
    const buffers = process.memoryUsage().arrayBuffers;
    expect(() => back.instA).toThrow(
      'decodeSample: shard-000030.tar: r000-p000003.a.inst.png is 6x16777216x1 (16-bit), expected 6x4x1 16-bit',
    );
    expect(process.memoryUsage().arrayBuffers - buffers).toBeLessThan(2 ** 20);
  });
});
