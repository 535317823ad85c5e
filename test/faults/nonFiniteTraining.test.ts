// A run that goes NaN (a learning rate of 1e30: the first update is finite, every loss after it NaN)
// stops at once under the default --on-nonfinite stop, never writes a non-finite weight, and leaves
// its checkpoints as they were; --on-nonfinite skip goes on without touching the weights.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, TINY_TRAIN_FLAGS, tinyDataset, weightsOf } from './faultUtils.ts';

const tmp = mkdtempSync(join(tmpdir(), 'oxels-nonfinite-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let data = '';
/** step-0000001 of the same run stopped there: what the failing runs' first checkpoint must still be. */
const reference = join(tmp, 'reference');
beforeAll(async () => {
  data = await tinyDataset(join(tmp, 'data'));
  const once = await runCli('train', [...flags(reference, 1e30), '--steps', '1']);
  expect(once.code).toBe(0);
}, 180_000);

const flags = (out: string, lr: number) => [
  '--data',
  data,
  ...TINY_TRAIN_FLAGS,
  '--lr',
  String(lr),
  '--checkpoint-every',
  '1',
  '--out',
  out,
];
const checkpointFiles = ['weights.bin', 'model.json', 'model.safetensors', 'optimizer.safetensors'];
const file = (out: string, step: number, name: string) =>
  readFileSync(join(out, 'checkpoints', `step-${String(step).padStart(7, '0')}`, name));
const steps = (out: string) => readdirSync(join(out, 'checkpoints')).filter((d) => d.startsWith('step-'));

describe('non-finite steps', () => {
  it('--on-nonfinite stop (default): exits 1 at the 3rd NaN step in a row, checkpoints intact and finite', async () => {
    const out = join(tmp, 'stop');
    const run = await runCli('train', [...flags(out, 1e30), '--steps', '6']);
    expect(run.code).toBe(1);
    expect(run.lines).toEqual([
      'train: step 2: loss is NaN; update skipped (1 in a row, 1 in all)',
      'train: step 3: loss is NaN; update skipped (2 in a row, 2 in all)',
      `train: error: step 4: loss is NaN (3 consecutive non-finite steps); last good checkpoint: ${out}/checkpoints/step-0000003`,
    ]);
    expect(steps(out)).toEqual(['step-0000001', 'step-0000002', 'step-0000003']);
    // Step 1 as the run that ended there wrote it; the skipped steps changed no weight and no moment.
    for (const name of checkpointFiles)
      expect(file(out, 1, name).equals(file(reference, 1, name))).toBe(true);
    for (const step of [2, 3]) {
      expect(file(out, step, 'weights.bin').equals(file(out, 1, 'weights.bin'))).toBe(true);
      expect(file(out, step, 'optimizer.safetensors').equals(file(out, 1, 'optimizer.safetensors'))).toBe(
        true,
      );
    }
    expect(weightsOf(join(out, 'checkpoints', 'step-0000003')).every(Number.isFinite)).toBe(true);
    expect(JSON.parse(readFileSync(join(out, 'checkpoints', 'latest.json'), 'utf8')).step).toBe(3);
    // metrics.jsonl holds the one step that trained; the skipped ones are in the log.
    const metrics = readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n');
    expect(metrics.map((l) => JSON.parse(l).step)).toEqual([1]);
  }, 120_000);

  it('--on-nonfinite skip: goes on to the end, logging each skipped step, the weights those of step 1', async () => {
    const out = join(tmp, 'skip');
    const run = await runCli('train', [...flags(out, 1e30), '--steps', '5', '--on-nonfinite', 'skip']);
    expect(run.code).toBe(0);
    expect(run.lines).toEqual([
      'train: step 2: loss is NaN; update skipped (1 in a row, 1 in all)',
      'train: step 3: loss is NaN; update skipped (2 in a row, 2 in all)',
      'train: step 4: loss is NaN; update skipped (3 in a row, 3 in all)',
      'train: step 5: loss is NaN; update skipped (4 in a row, 4 in all)',
      `train: curves: ${out}/curves.png`,
    ]);
    expect(run.stdout).toMatch(/^train: done at step 5\/5, loss [\d.]+ .*; 4 non-finite steps skipped -> /);
    expect(steps(out)).toEqual(['step-0000003', 'step-0000004', 'step-0000005']);
    expect(file(out, 5, 'weights.bin').equals(file(reference, 1, 'weights.bin'))).toBe(true);
  }, 120_000);

  it('stops on an update that would overflow the weights, with --max-nonfinite 1 at the first such step', async () => {
    const out = join(tmp, 'overflow');
    // Finite loss and gradient; lr / (1 - beta1) overflows float32, so would every updated weight.
    const run = await runCli('train', [...flags(out, 1e39), '--steps', '3', '--max-nonfinite', '1']);
    expect(run.code).toBe(1);
    expect(run.lines).toHaveLength(1);
    expect(run.lines[0]).toMatch(
      /^train: error: step 1: the update would make weights non-finite \(gradient norm [\d.]+\) \(1 consecutive non-finite step\); last good checkpoint: none yet$/,
    );
    expect(existsSync(join(out, 'checkpoints'))).toBe(false);
    expect(readFileSync(join(out, 'metrics.jsonl'), 'utf8')).toBe('');
  }, 120_000);

  it('refuses --max-nonfinite with --on-nonfinite skip before anything is written', async () => {
    const out = join(tmp, 'both');
    const run = await runCli('train', [
      ...flags(out, 1e-3),
      '--on-nonfinite',
      'skip',
      '--max-nonfinite',
      '2',
    ]);
    expect(run.code).toBe(1);
    expect(run.lines).toEqual([
      'train: error: --max-nonfinite applies to --on-nonfinite stop (skip never stops the run)',
    ]);
    expect(existsSync(out)).toBe(false);
  }, 60_000);
});
