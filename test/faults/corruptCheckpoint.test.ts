// Damaged checkpoints are named with what is wrong; --resume falls back to the newest readable one (and
// still ends bit for bit where the undamaged run ended); eval and inspect fail in one line.
import {
  appendFileSync,
  cpSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCheckpoint, loadLatestCheckpoint, runTraining, savedConfig } from '@oxels/trainer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, STACK_FRAME, TINY_TRAIN_FLAGS, tinyDataset } from './faultUtils.ts';

const tmp = mkdtempSync(join(tmpdir(), 'oxels-corrupt-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let data = '';
/** A good 3-step run with a checkpoint after every step. */
const good = join(tmp, 'good');
const flags = (out: string) => [
  '--data',
  data,
  ...TINY_TRAIN_FLAGS,
  '--steps',
  '3',
  '--checkpoint-every',
  '1',
  '--out',
  out,
];
beforeAll(async () => {
  data = await tinyDataset(join(tmp, 'data'));
  expect((await runCli('train', flags(good))).code).toBe(0);
}, 180_000);

/** A copy of the good run to damage. */
const copyOfGood = (name: string) => {
  const dir = join(tmp, name);
  cpSync(good, dir, { recursive: true });
  return dir;
};
const step3 = (run: string) => join(run, 'checkpoints', 'step-0000003');

describe('loading a damaged checkpoint', () => {
  it('names the file and what is wrong with it', () => {
    const run = copyOfGood('load');
    const dir = step3(run);
    const bytes = statSync(join(dir, 'weights.bin')).size;
    const pristine = join(tmp, 'pristine');
    cpSync(dir, pristine, { recursive: true });
    const cases: [string, () => void, string][] = [
      [
        'odd-length weights.bin',
        () => truncateSync(join(dir, 'weights.bin'), bytes - 3),
        `${bytes - 3} bytes`,
      ],
      [
        'weights.bin one value short',
        () => truncateSync(join(dir, 'weights.bin'), bytes - 4),
        `${bytes - 4} bytes`,
      ],
      ['weights.bin too long', () => appendFileSync(join(dir, 'weights.bin'), 'x'), `${bytes + 1} bytes`],
    ];
    for (const [what, damage, size] of cases) {
      cpSync(pristine, dir, { recursive: true });
      damage();
      expect(() => loadCheckpoint(run, 3), what).toThrow(
        `checkpoint ${dir}/weights.bin: ${size}, model.json's weightsManifest needs ${bytes}`,
      );
    }
    cpSync(pristine, dir, { recursive: true });
    writeFileSync(join(dir, 'model.json'), '{"format": "oxels-unet", "weightsMan');
    expect(() => loadCheckpoint(run, 3)).toThrow(
      new RegExp(`^checkpoint ${dir}/model.json: not JSON \\(.+\\)$`),
    );
    writeFileSync(join(dir, 'model.json'), '{"format": "oxels-unet"}');
    expect(() => loadCheckpoint(run, 3)).toThrow(
      `checkpoint ${dir}/model.json: no weightsManifest [{ paths: [file], weights: [{ name, shape }] }]`,
    );
    cpSync(pristine, dir, { recursive: true });
    const first = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')).weightsManifest[0].weights[0]
      .name;
    const weights = readFileSync(join(dir, 'weights.bin'));
    weights.writeFloatLE(Number.NaN, 8);
    writeFileSync(join(dir, 'weights.bin'), weights);
    expect(() => loadCheckpoint(run, 3)).toThrow(
      `checkpoint ${dir}/weights.bin: ${first}[2] is NaN (not finite)`,
    );
    cpSync(pristine, dir, { recursive: true });
    rmSync(join(dir, 'optimizer.safetensors'));
    expect(() => loadCheckpoint(run, 3)).toThrow(`checkpoint ${dir}/optimizer.safetensors: missing`);
    const latest = join(run, 'checkpoints', 'latest.json');
    writeFileSync(latest, '{"step": 3, "dir": "step-0000003"');
    expect(() => loadLatestCheckpoint(run)).toThrow(new RegExp(`^checkpoint ${latest}: not JSON \\(.+\\)$`));
    writeFileSync(latest, '{"step": 3}');
    expect(() => loadLatestCheckpoint(run)).toThrow(
      `checkpoint ${latest}: expected {"step": N, "dir": "step-NNNNNNN"} (got {"step":3})`,
    );
  });
});

describe('--resume with a damaged checkpoint', () => {
  it('falls back to the newest readable checkpoint, says so, and ends bit for bit as the good run', async () => {
    const run = copyOfGood('short-weights');
    const bytes = statSync(join(step3(run), 'weights.bin')).size;
    truncateSync(join(step3(run), 'weights.bin'), bytes - 3);
    const resumed = await runCli('train', [...flags(run), '--resume']);
    expect(resumed.code).toBe(0);
    expect(resumed.lines.slice(0, 2)).toEqual([
      `train: --resume: ${step3(run)} is unreadable (checkpoint ${step3(run)}/weights.bin: ${bytes - 3} bytes, model.json's weightsManifest needs ${bytes}); resuming from step-0000002`,
      `train: resuming ${run} at step 2 of 3`,
    ]);
    for (const name of ['weights.bin', 'optimizer.safetensors'])
      expect(readFileSync(join(step3(run), name)).equals(readFileSync(join(step3(good), name)))).toBe(true);
  }, 120_000);

  it('falls back from a garbage latest.json to the newest checkpoint', async () => {
    const run = copyOfGood('garbage-latest');
    const latest = join(run, 'checkpoints', 'latest.json');
    writeFileSync(latest, '\u0000\u0000\u0000');
    const resumed = await runCli('train', [...flags(run), '--resume']);
    expect(resumed.code).toBe(0);
    expect(resumed.lines[0]).toMatch(
      new RegExp(
        `^train: --resume: ${latest} is unreadable \\(checkpoint ${latest}: not JSON \\(.+\\)\\); resuming from step-0000003$`,
      ),
    );
    expect(resumed.stdout).toMatch(/^train: done at step 3\/3 -> /);
  }, 120_000);

  it('names every checkpoint when none is readable', async () => {
    const run = copyOfGood('none-readable');
    const dirs = [3, 2, 1].map((s) => join(run, 'checkpoints', `step-000000${s}`));
    for (const dir of dirs) writeFileSync(join(dir, 'model.json'), '');
    const config = savedConfig(run)!;
    await expect(
      runTraining(config, run, { backend: 'cpu', threads: 1, replicas: 1, resume: true }),
    ).rejects.toThrow(
      new RegExp(
        `^${run}/checkpoints holds no readable checkpoint: ${dirs
          .map((d) => `${d} is unreadable \\(checkpoint ${d}/model.json: not JSON \\(.+\\)\\)`)
          .join('; ')}$`,
      ),
    );
  }, 60_000);
});

describe('eval and inspect on a damaged checkpoint', () => {
  it('print one line naming the file, no stack, and exit 1', async () => {
    const run = copyOfGood('for-eval');
    const modelJson = join(step3(run), 'model.json');
    writeFileSync(modelJson, '{"weightsManifest": [');
    const notJson = `checkpoint ${modelJson}: not JSON \\(.+\\)`;
    const evaluated = await runCli(
      'eval',
      ['correspondence', '--run', run, '--data', data, '--backend', 'cpu', '--quiet'],
      'eval correspondence',
    );
    expect(evaluated.code).toBe(1);
    expect(evaluated.lines).toHaveLength(1);
    expect(evaluated.lines[0]).toMatch(new RegExp(`^eval correspondence: error: ${notJson}$`));
    expect(evaluated.stderr).not.toMatch(STACK_FRAME);
    const inspected = await runCli('inspect', [data, '--run', run, '--backend', 'cpu']);
    expect(inspected.code).toBe(1);
    expect(inspected.lines).toHaveLength(1);
    expect(inspected.lines[0]).toMatch(new RegExp(`^inspect: error: ${notJson}$`));
    expect(inspected.stderr).not.toMatch(STACK_FRAME);
  }, 120_000);
});
