// `pnpm train` in-process (runTrain): usage errors are one line and exit 2, --help exits 0, a tiny real
// run on a fixture dataset exits 0 with a checkpoint, and a run whose config.json has the older flat
// form (sampling options as top-level keys) resumes to the weights of an uninterrupted run.
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliIO } from '@oxels/core';
import { runTrain } from '@oxels/trainer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFixtureDataset } from '../packages/inspect/test/writeFixtureDataset.ts';

const tmp = mkdtempSync(join(tmpdir(), 'oxels-train-cli-'));
let data = '';
beforeAll(async () => {
  data = (await writeFixtureDataset([2, 2], { width: 64, height: 48 })).dir;
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
  rmSync(data, { recursive: true, force: true });
});

/** An io that keeps what a command printed. */
function capture(): { io: CliIO; out: () => string; err: () => string } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: { out: (t) => out.push(t), err: (t) => err.push(t) },
    out: () => out.join(''),
    err: () => err.join(''),
  };
}

/** Two 2d-U-Net steps of 2 pairs on 32x32 crops, one wasm thread, checkpoints at every step. */
const tiny = (out: string, steps = 2) => [
  ...['--data', data, '--out', out, '--steps', String(steps), '--checkpoint-every', '1'],
  ...['--model', '2d', '--crop', '32x32', '--batch', '2', '--samples', '64', '--seed', '7'],
  ...['--backend', 'wasm', '--threads', '1', '--replicas', '1', '--quiet'],
];

const weights = (run: string, step: number) =>
  readFileSync(join(run, 'checkpoints', `step-${String(step).padStart(7, '0')}`, 'weights.bin'));

describe('runTrain', () => {
  it('answers a wrong flag with one line and exit 2, before anything runs', async () => {
    const c = capture();
    expect(await runTrain(['--data', data, '--stepz', '3'], c.io)).toBe(2);
    expect(c.err()).toBe("train: error: unknown option '--stepz' (Did you mean --steps?)\n");
    const bad = capture();
    expect(await runTrain(['--data', data, '--norm', 'l3'], bad.io)).toBe(2);
    expect(bad.err()).toMatch(
      /^train: error: option '--norm <norm>' argument 'l3' is invalid\. Allowed choices are inf, l1, l2\.\n$/,
    );
    const both = capture();
    expect(await runTrain(['--data', data, '--live'], both.io)).toBe(2);
    expect(both.err()).toBe('train: give either --data DIR (shards) or --live\n');
    expect(both.out()).toBe('');
  });

  it('prints its help to stdout and exits 0 for --help', async () => {
    const c = capture();
    expect(await runTrain(['--help'], c.io)).toBe(0);
    expect(c.out()).toMatch(/^Usage: train \[options\]/);
    expect(c.out()).toContain('--crop <WxH|none>');
    // Help wraps at the terminal's width (80 here): compare with the whitespace folded.
    expect(c.out().replace(/\s+/g, ' ')).toContain(
      '3d: train on random crops of this size, or none (default 128x128, or the largest square that fits smaller views)',
    );
    expect(c.err()).toBe('');
  });

  it('refuses a bad value of the config with one line and exit 1, writing nothing', async () => {
    const c = capture();
    const out = join(tmp, 'refused');
    expect(await runTrain([...tiny(out), '--crop-shift=-3'], c.io)).toBe(1);
    expect(c.err()).toBe('train: error: --crop-shift must be a number of pixels >= 0 or none (got -3)\n');
    expect(existsSync(out)).toBe(false);
    // An option whose flag is spelt otherwise (outChannels -> --channels) shows as that flag.
    const clove = capture();
    const args = [...tiny(out), '--objective', 'clove', '--heads', '5'];
    expect(await runTrain(args, clove.io)).toBe(1);
    expect(clove.err()).toBe('train: error: --heads must divide --channels 32 (got 5)\n');
    expect(existsSync(out)).toBe(false);
  });

  it('trains a tiny real run: exit 0, a checkpoint, the plan in its log, `sampling` in config.json', async () => {
    const c = capture();
    const out = join(tmp, 'tiny');
    expect(await runTrain(tiny(out), c.io)).toBe(0);
    expect(c.out()).toMatch(
      /^train: done at step 2\/2, loss \d+\.\d{4} \(within [\d.]+, between [\d.]+\) -> /,
    );
    expect(JSON.parse(readFileSync(join(out, 'checkpoints', 'latest.json'), 'utf8')).step).toBe(2);
    expect(weights(out, 2).length).toBeGreaterThan(1_000_000);
    expect(c.err()).toContain(
      'train: backend plan: wasm (--backend); 1 thread (--threads); no replicas (--replicas 1); op by op',
    );
    const config = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'));
    expect(config.sampling).toMatchObject({ samples: 64, crop: [32, 32], cropShift: 64 });
    expect(config.crop).toBeUndefined();
  }, 120_000);

  it('resumes a run whose config.json has the older flat form to the weights of an uninterrupted run', async () => {
    const whole = join(tmp, 'whole');
    expect(await runTrain(tiny(whole, 4), capture().io)).toBe(0);
    // The same run stopped at step 2, as main wrote it: the sampling options at the top of config.json.
    const flat = join(tmp, 'flat');
    cpSync(whole, flat, { recursive: true });
    for (const step of ['step-0000003', 'step-0000004'])
      rmSync(join(flat, 'checkpoints', step), { recursive: true });
    writeFileSync(join(flat, 'checkpoints', 'latest.json'), '{"step":2,"dir":"step-0000002"}\n');
    const { sampling, ...rest } = JSON.parse(readFileSync(join(flat, 'config.json'), 'utf8'));
    writeFileSync(join(flat, 'config.json'), JSON.stringify({ ...rest, ...sampling }, null, 2));
    const c = capture();
    expect(await runTrain([...tiny(flat, 4), '--resume'], c.io)).toBe(0);
    expect(c.err()).toContain(`train: resuming ${flat} at step 2 of 4`);
    expect(weights(flat, 4).equals(weights(whole, 4))).toBe(true);
    // Another --crop than the run's is refused, naming the option.
    const other = capture();
    const args = tiny(flat, 4).map((a) => (a === '32x32' ? '16x16' : a));
    expect(await runTrain([...args, '--resume'], other.io)).toBe(1);
    expect(other.err()).toMatch(
      /the flags differ from the run's config.json in sampling\.crop; resume with the same flags\n$/,
    );
  }, 180_000);

  it('refuses to resume a run whose config.json has a key it does not know, naming file and key', async () => {
    const out = join(tmp, 'unknown');
    cpSync(join(tmp, 'tiny'), out, { recursive: true });
    const path = join(out, 'config.json');
    writeFileSync(path, JSON.stringify({ ...JSON.parse(readFileSync(path, 'utf8')), warmup: 10 }));
    const c = capture();
    expect(await runTrain([...tiny(out), '--resume'], c.io)).toBe(1);
    expect(c.err()).toBe(
      `train: error: run ${path}: unknown key "warmup" (not a TrainConfig option: edited by hand, or written by a newer oxels?)\n`,
    );
  });
});
