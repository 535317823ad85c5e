// Without --crop, the default crop is fitted to views smaller than it; a --crop that does not fit is
// refused with one that would.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_CROP, fitDefaultCrop } from '@oxels/trainer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tinyDataset } from './faultUtils.ts';

const tmp = mkdtempSync(join(tmpdir(), 'oxels-crop-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let data = '';
beforeAll(async () => {
  data = await tinyDataset(join(tmp, 'data'));
}, 180_000);

describe('fitDefaultCrop', () => {
  it('gives the largest square no larger than the default that fits and that the U-Net takes', () => {
    const cases: [[number, number], number, [number, number] | null][] = [
      [[256, 192], 16, [128, 128]],
      [[128, 96], 16, [96, 96]],
      [[64, 48], 16, [48, 48]],
      [[100, 75], 16, [64, 64]],
      [[50, 30], 4, [28, 28]],
      [[8, 8], 16, null],
    ];
    for (const [views, unit, expected] of cases)
      expect(fitDefaultCrop(DEFAULT_CROP, views, unit), `${views.join('x')} / ${unit}`).toEqual(expected);
  });
});

describe('train --crop', () => {
  it('fits the default to 64x48 views with a note, and a resumed run keeps that crop', async () => {
    const out = join(tmp, 'fitted');
    const args = ['--data', data, '--batch', '1', '--samples', '64', '--checkpoint-every', '1', '--quiet'];
    const first = await runCli('train', [...args, '--steps', '1', '--out', out]);
    expect(first.code).toBe(0);
    expect(first.lines[0]).toBe('train: --crop not given: using 48x48 to fit the 64x48 views');
    const config = () => JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'));
    expect([config().model, config().sampling.crop]).toEqual(['3d', [48, 48]]);
    const resumed = await runCli('train', [...args, '--steps', '2', '--out', out, '--resume']);
    expect(resumed.code).toBe(0);
    expect(resumed.lines[0]).toBe(`train: resuming ${out} at step 1 of 2`);
    expect([config().sampling.crop, config().steps]).toEqual([[48, 48], 2]);
  }, 180_000);

  it('refuses a --crop that does not fit, or whole views the U-Net cannot take, naming one that would do', async () => {
    const live = ['--live', '--size', '72x40', '--out', join(tmp, 'live'), '--quiet'];
    const big = await runCli('train', [...live, '--crop', '128x128']);
    expect(big.code).toBe(1);
    expect(big.lines).toEqual([
      'train: error: --crop 128x128 does not fit the 72x40 views of the live generator (--size); --crop 64x32 would (or smaller, sides divisible by 16)',
    ]);
    const whole = await runCli('train', [...live, '--crop', 'none']);
    expect(whole.code).toBe(1);
    expect(whole.lines).toEqual([
      'train: error: --crop none: the 72x40 views of the live generator (--size) are not multiples of 16, as the U-Net needs; --crop 64x32 would (or smaller, sides divisible by 16)',
    ]);
  }, 120_000);
});
