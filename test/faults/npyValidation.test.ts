// Bad .npy files in a real shard (rewritten with ShardWriter, the manifest adopting the new bytes as if
// the generator had written them): the readers name the sample, the file and expected vs found, and
// never train on them.
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CorrespondenceStatus } from '@oxels/core';
import { DatasetError, decodeNpy, encodeNpy, readShard, validateDataset } from '@oxels/dataset';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adoptShard, npyBytes, QUICK_TRAIN, rewriteShard, runCli, tinyDataset } from './faultUtils.ts';

const tmp = mkdtempSync(join(tmpdir(), 'oxels-npy-faults-'));
const data = join(tmp, 'data');
const KEY = 'r000-p000000';
const [W, H] = [64, 48];
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
beforeAll(() => tinyDataset(data, { rooms: 1, pairsPerRoom: 2, shardSize: 1 }), 120_000);

/** The first sample's correspondence arrays, as generated. */
async function original() {
  for await (const s of readShard(join(data, 'shard-000000.tar'))) {
    return { aIndex: s.aIndex, bXY: s.bXY, status: s.status, K: s.aIndex.length };
  }
  throw new Error('npyValidation: empty shard');
}

let copies = 0;
/** A copy of the dataset whose KEY.<suffix> in shard-000000.tar holds `bytes`; returns the shard. */
async function withFile(suffix: string, bytes: Uint8Array): Promise<string> {
  const dir = join(tmp, `copy-${copies++}`);
  cpSync(data, dir, { recursive: true });
  const shard = join(dir, 'shard-000000.tar');
  await rewriteShard(shard, (name, old) => (name === `${KEY}.${suffix}` ? bytes : old));
  adoptShard(shard);
  return shard;
}

/** What reading the shard throws (it must throw). */
async function readError(shard: string): Promise<DatasetError> {
  try {
    for await (const _ of readShard(shard));
  } catch (err) {
    return err as DatasetError;
  }
  throw new Error(`npyValidation: ${shard} read without an error`);
}

/** Reading the shard and validating its dataset both fail with exactly `message`, a SHARD_READ. */
async function expectRefused(shard: string, message: string): Promise<void> {
  const err = await readError(shard);
  expect(err).toBeInstanceOf(DatasetError);
  expect([err.code, err.message]).toEqual(['SHARD_READ', message]);
  const check = await validateDataset(join(shard, '..'));
  expect(check.problems.map((p) => [p.name, p.problem])).toEqual([
    ['shard-000000.tar', `unreadable: ${message}`],
  ]);
  expect(check.valid).toEqual([join(shard, '..', 'shard-000001.tar')]);
}

describe('.npy dtype, shape and range checks', () => {
  it('refuses a uint8 a_index, and train refuses the dataset naming shard, sample and file', async () => {
    const { aIndex, K } = await original();
    const shard = await withFile('a_index.npy', encodeNpy(Uint8Array.from(aIndex), [K]));
    const message = `decodeSample: ${shard}: ${KEY}.a_index.npy: dtype |u1, expected <i4`;
    await expectRefused(shard, message);
    const dir = join(shard, '..');
    const out = join(tmp, 'run-uint8');
    const train = await runCli('train', ['--data', dir, '--out', out, ...QUICK_TRAIN]);
    expect(train.code).toBe(1);
    expect(train.stderr).toBe(
      `train: error: datasetShards: ${dir} is incomplete: shard-000000.tar (unreadable: ${message}); ` +
        'delete the damaged shards and rerun gen-scenes with the same flags to write them again, or pass --allow-partial to use the 1 valid shard\n',
    );
    expect(existsSync(out)).toBe(false);
  }, 60_000);

  it('refuses an int32 b_xy', async () => {
    const { bXY, K } = await original();
    const shard = await withFile(
      'b_xy.npy',
      encodeNpy(
        Int32Array.from(bXY, (x) => x || 0),
        [K, 2],
      ),
    );
    await expectRefused(shard, `decodeSample: ${shard}: ${KEY}.b_xy.npy: dtype <i4, expected <f4`);
  });

  it('refuses an a_index outside the view, at either end', async () => {
    const { aIndex, K } = await original();
    const high = Int32Array.from(aIndex);
    high[5] = W * H;
    let shard = await withFile('a_index.npy', encodeNpy(high, [K]));
    await expectRefused(
      shard,
      `decodeSample: ${shard}: ${KEY}.a_index.npy: a_index[5] = 3072 is outside [0, 3072) (a 64x48 view)`,
    );
    const low = Int32Array.from(aIndex);
    low[0] = -1;
    shard = await withFile('a_index.npy', encodeNpy(low, [K]));
    await expectRefused(
      shard,
      `decodeSample: ${shard}: ${KEY}.a_index.npy: a_index[0] = -1 is outside [0, 3072) (a 64x48 view)`,
    );
  });

  it('refuses K that disagrees between a_index, b_xy and status', async () => {
    const { bXY, status, K } = await original();
    let shard = await withFile('status.npy', encodeNpy(status.subarray(0, K - 1), [K - 1]));
    await expectRefused(
      shard,
      `decodeSample: ${shard}: ${KEY}.status.npy: shape [${K - 1}], expected [K=${K}]`,
    );
    const wider = Float32Array.from({ length: 3 * K }, (_, i) => bXY[i % (2 * K)]);
    shard = await withFile('b_xy.npy', encodeNpy(wider, [K, 3]));
    await expectRefused(
      shard,
      `decodeSample: ${shard}: ${KEY}.b_xy.npy: shape [${K}, 3], expected [K=${K}, 2]`,
    );
  });

  it('refuses an unknown status code and a MATCH without a position in view B', async () => {
    const { bXY, status, K } = await original();
    const odd = Uint8Array.from(status);
    odd[3] = 9;
    let shard = await withFile('status.npy', encodeNpy(odd, [K]));
    await expectRefused(
      shard,
      `decodeSample: ${shard}: ${KEY}.status.npy: status[3] = 9 is not a status code (0 MATCH, 1 OCCLUDED, 2 OUT_OF_VIEW, 3 MISS)`,
    );
    const k = status.indexOf(CorrespondenceStatus.MATCH);
    const lost = Float32Array.from(bXY);
    lost[2 * k] = Number.NaN;
    shard = await withFile('b_xy.npy', encodeNpy(lost, [K, 2]));
    await expectRefused(
      shard,
      `decodeSample: ${shard}: ${KEY}.b_xy.npy: b_xy[${k}] = (NaN, ${bXY[2 * k + 1]}) of a MATCH is not in the 64x48 view B`,
    );
  });
});

describe('malformed .npy headers', () => {
  const i4 = (shape: string) => `{'descr': '<i4', 'fortran_order': False, 'shape': ${shape}, }`;
  const data = new Uint8Array(16);
  const cases: [string, Uint8Array, string][] = [
    ['a negative shape', npyBytes(i4('(-1,)'), data), 'shape (-1,) is not a tuple of sizes >= 0'],
    [
      'a shape that is not a number',
      npyBytes(i4("('K',)"), data),
      "shape ('K',) is not a tuple of sizes >= 0",
    ],
    [
      'a huge shape',
      npyBytes(i4('(99999999999,)'), data),
      'truncated: 399999999996 data bytes expected for shape [99999999999], 16 present',
    ],
    ['bytes after the data', npyBytes(i4('(3,)'), data), '4 bytes after the data of shape [3] (<i4)'],
  ];
  const longHeader = npyBytes(i4('(4,)'), data);
  longHeader.writeUInt16LE(60000, 8);
  cases.push([
    'a header length beyond the file',
    longHeader,
    `truncated: the 60000-byte header runs past the end of the ${longHeader.length}-byte file`,
  ]);

  it.each(cases)('decodeNpy refuses %s with a SHARD_READ error', (_, bytes, what) => {
    expect(() => decodeNpy(bytes, 'x.npy')).toThrow(
      expect.objectContaining({
        name: 'DatasetError',
        code: 'SHARD_READ',
        message: `decodeNpy: x.npy: ${what}`,
      }),
    );
  });

  it('a shard holding one is refused by name', async () => {
    const shard = await withFile('a_index.npy', cases[0][1]);
    await expectRefused(shard, `decodeNpy: ${shard}:${KEY}.a_index.npy: ${cases[0][2]}`);
  });
});
