// The U-Nets' parameter counts derived by hand from the paper's description (App. B.3 for 2D, App. C.2
// for 3D), layer by layer, apart from the code's layer list (unetParameters.ts): the model built from
// that list must hold exactly these parameters, and so must the PyTorch peer (an independent module,
// scripts/bench_train_torch.py), counted by PyTorch. One block, norm or skip added or removed anywhere
// changes the total and fails the test.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/initBackend.ts';
import { UNET_2D_CONFIG, UNET_3D_CONFIG } from '../constants.ts';
import { UNet } from './UNet.ts';

/** k x k convolution with bias. */
const conv = (k: number, cin: number, cout: number) => k * k * cin * cout + cout;
/** Normalisation with a scale and a shift per channel (both layouts). */
const norm = (c: number) => 2 * c;
/**
 * Residual block: norm -> SiLU -> 3x3 conv -> norm -> SiLU -> (dropout) -> 3x3 conv, plus a 1x1
 * conv on the skip path when the width changes.
 */
const block = (cin: number, cout: number) =>
  norm(cin) + conv(3, cin, cout) + norm(cout) + conv(3, cout, cout) + (cin === cout ? 0 : conv(1, cin, cout));
const repeat = (n: number, count: number) => n * count;

/**
 * 2D (App. B.3): stem 3x3 conv 3 -> 32; encoder widths 32, 64, 64 with 1, 2, 2 blocks, each stage but
 * the last followed by a 2x2 average pool and a 1x1 conv to the next width; a middle block; decoder
 * stages mirroring the encoder with one block more, the first taking the concat with the encoder's
 * skip, each but the last followed by a 1x1 conv to the next width and 2x nearest upsampling; head
 * norm -> SiLU -> 3x3 conv to 32 channels.
 */
const PAPER_2D: [string, number][] = [
  ['stem', conv(3, 3, 32)], // 896
  ['encoder.0: 1 block 32', block(32, 32)], // 18,624
  ['encoder.0.down 32 -> 64', conv(1, 32, 64)], // 2,112
  ['encoder.1: 2 blocks 64', repeat(block(64, 64), 2)], // 148,224
  ['encoder.1.down 64 -> 64', conv(1, 64, 64)], // 4,160
  ['encoder.2: 2 blocks 64', repeat(block(64, 64), 2)], // 148,224
  ['mid: 1 block 64', block(64, 64)], // 74,112
  ['decoder.2: block 64+64 -> 64, 2 blocks 64', block(128, 64) + repeat(block(64, 64), 2)], // 267,584
  ['decoder.2.up 64 -> 64', conv(1, 64, 64)], // 4,160
  ['decoder.1: block 64+64 -> 64, 2 blocks 64', block(128, 64) + repeat(block(64, 64), 2)], // 267,584
  ['decoder.1.up 64 -> 32', conv(1, 64, 32)], // 2,080
  ['decoder.0: block 32+32 -> 32, 1 block 32', block(64, 32) + block(32, 32)], // 48,608
  ['head: norm 32, conv 32 -> 32', norm(32) + conv(3, 32, 32)], // 9,312
];

/** 3D (App. C.2): the same layout with widths 16, 16, 32, 32, 64 and 1, 1, 1, 2, 4 blocks. */
const PAPER_3D: [string, number][] = [
  ['stem', conv(3, 3, 16)],
  ['encoder.0: 1 block 16', block(16, 16)],
  ['encoder.0.down 16 -> 16', conv(1, 16, 16)],
  ['encoder.1: 1 block 16', block(16, 16)],
  ['encoder.1.down 16 -> 32', conv(1, 16, 32)],
  ['encoder.2: 1 block 32', block(32, 32)],
  ['encoder.2.down 32 -> 32', conv(1, 32, 32)],
  ['encoder.3: 2 blocks 32', repeat(block(32, 32), 2)],
  ['encoder.3.down 32 -> 64', conv(1, 32, 64)],
  ['encoder.4: 4 blocks 64', repeat(block(64, 64), 4)],
  ['mid: 1 block 64', block(64, 64)],
  ['decoder.4: block 64+64 -> 64, 4 blocks 64', block(128, 64) + repeat(block(64, 64), 4)],
  ['decoder.4.up 64 -> 32', conv(1, 64, 32)],
  ['decoder.3: block 32+32 -> 32, 2 blocks 32', block(64, 32) + repeat(block(32, 32), 2)],
  ['decoder.3.up 32 -> 32', conv(1, 32, 32)],
  ['decoder.2: block 32+32 -> 32, 1 block 32', block(64, 32) + block(32, 32)],
  ['decoder.2.up 32 -> 16', conv(1, 32, 16)],
  ['decoder.1: block 16+16 -> 16, 1 block 16', block(32, 16) + block(16, 16)],
  ['decoder.1.up 16 -> 16', conv(1, 16, 16)],
  ['decoder.0: block 16+16 -> 16, 1 block 16', block(32, 16) + block(16, 16)],
  ['head: norm 16, conv 16 -> 32', norm(16) + conv(3, 16, 32)],
];

const total = (rows: [string, number][]) => rows.reduce((n, [, c]) => n + c, 0);

/** PyTorch's own count of the peer module, or null where the project venv has no torch. */
function torchCount(config: '2d' | '3d'): number | null {
  const cache =
    process.env.OXELS_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'oxels');
  const python = join(cache, 'venv', 'bin', 'python');
  if (!existsSync(python)) return null;
  const scripts = fileURLToPath(new URL('../../../../scripts', import.meta.url));
  const code = `import sys; sys.path.insert(0, ${JSON.stringify(scripts)})
from bench_train_torch import UNet, CONFIGS
print(sum(p.numel() for p in UNet(**CONFIGS["${config}"]).parameters()))`;
  const r = spawnSync(python, ['-c', code], { encoding: 'utf8' });
  return r.status === 0 ? Number(r.stdout.trim()) : null;
}

describe('U-Net parameter counts, by hand from the paper', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });

  it.each([
    ['2d', PAPER_2D, UNET_2D_CONFIG, 995_680],
    ['3d', PAPER_3D, UNET_3D_CONFIG, 1_005_072],
  ] as const)('%s: the hand count, the built model and PyTorch agree', (name, rows, config, expected) => {
    expect(total(rows)).toBe(expected);
    const model = new UNet(config, 0);
    expect(model.parameterCount()).toBe(total(rows));
    model.dispose();
    const witness = torchCount(name);
    if (witness === null)
      console.warn('paperParameterCount: no torch in the project venv, PyTorch witness skipped');
    else expect(witness).toBe(total(rows));
  });

  it("2D: 2,016 parameters (0.2%) above the paper's 993,664, which no layout we tried reproduces", () => {
    // README, "Backbones": the paper's code is not public; about 100 variants (norm placement, skip
    // blocks, bias terms, downsampling conv) were enumerated and none gives its figure.
    expect(total(PAPER_2D) - 993_664).toBe(2_016);
  });
});
