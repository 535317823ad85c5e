// scripts/sweep-cmnist end to end at a tiny budget: it trains and evaluates, writes the table, keeps
// finished runs on a rerun, and refuses to keep a run trained with another jitter; with --trainer
// torch it repeats the sweep's runs in PyTorch (scripts/train-torch.ts) and probes them the same way.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { decodeSafetensors, loadLatestCheckpoint } from '@oxels/trainer';
import { afterAll, describe, expect, it } from 'vitest';
import { findTorch } from './torchVenv.ts';

const root = resolve(import.meta.dirname, '..');
const out = mkdtempSync(join(tmpdir(), 'oxels-sweep-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

const tiny = [
  ...['--lambdas', '0', '--seeds', '0', '--steps', '2', '--batch', '2', '--samples', '64'],
  ...['--train-images', '64', '--eval-images', '64', '--epochs', '1', '--backend', 'wasm', '--threads', '1'],
  ...['--out', out],
];
const sweep = (args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'scripts/sweep-cmnist.ts', ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 300_000,
  });

describe('scripts/sweep-cmnist', () => {
  it('trains, evaluates and tabulates; a rerun keeps the run; another jitter is refused', () => {
    let r = sweep(tiny);
    expect(r.stderr).not.toMatch(/Error/);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/lambda 0 l1 seed 0: in-domain \d+\.\d%, out-of-domain \d+\.\d%.*\(train \d/);
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    expect(JSON.stringify(results)).toContain('"norm":"l1"');
    expect(readFileSync(join(out, 'results.md'), 'utf8')).toMatch(
      /\| 0 \| \d+\.\d \/ \d+\.\d \(72\.0 \/ 72\.1\) \|/,
    );
    expect(existsSync(join(out, 'results.png'))).toBe(true);

    r = sweep(tiny);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('(kept from an earlier sweep)');

    r = sweep([...tiny, '--jitter', 'hue=0.3']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(
      /lambda-0_norm-l1_seed-0 was trained with another photometric than this sweep asks for/,
    );
  }, 600_000);

  const torch = findTorch();
  if ('why' in torch) console.warn(`sweepCmnist: --trainer torch skipped: ${torch.why}`);
  it.skipIf('why' in torch)(
    '--trainer torch trains the same cells in PyTorch and writes runs eval reads',
    () => {
      const like = out;
      const torchOut = join(out, 'torch');
      const r = sweep([...tiny.slice(0, -2), '--out', torchOut, '--trainer', 'torch', '--like', like]);
      expect(r.stderr).not.toMatch(/Error/);
      expect(r.status).toBe(0);
      const table = readFileSync(join(torchOut, 'results.md'), 'utf8');
      expect(table).toMatch(/\| 0 \| \d+\.\d \/ \d+\.\d \(72\.0 \/ 72\.1\) \|/);
      expect(table).toContain('Trained by the PyTorch peer');
      const run = join(torchOut, 'lambda-0_norm-l1_seed-0');
      const readConfig = (dir: string) => JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
      expect(readConfig(run)).toEqual(readConfig(join(like, 'lambda-0_norm-l1_seed-0')));
      const metrics = readFileSync(join(run, 'metrics.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      expect(metrics.map((m) => m.step)).toEqual([1, 2]);
      for (const m of metrics) expect(Number.isFinite(m.loss) && m.loss > 0).toBe(true);
      // The run's final checkpoint holds PyTorch's final weights, each conv kernel moved from
      // [O, I, kh, kw] to tfjs's [kh, kw, I, O] (indices written out here, not by weightLayout).
      const path = join(run, 'torch-final.safetensors');
      const theirs = decodeSafetensors(readFileSync(path), path).tensors;
      const ours = loadLatestCheckpoint(run)!;
      expect(ours.step).toBe(2);
      expect([...ours.weights.keys()].sort()).toEqual([...theirs.keys()].sort());
      const t = theirs.get('stem.weight')!;
      const w = ours.weights.get('stem.weight')!;
      const [o, i, kh, kw] = t.shape;
      expect(w.shape).toEqual([kh, kw, i, o]);
      for (const [a, b, c, d] of [
        [0, 0, 0, 0],
        [o - 1, i - 1, kh - 1, kw - 1],
        [1, 2, 0, 2],
      ])
        expect(w.data[((c * kw + d) * i + b) * o + a]).toBe(t.data[((a * i + b) * kh + c) * kw + d]);
      expect(ours.weights.get('head.conv.bias')!.data).toEqual(theirs.get('head.conv.bias')!.data);
    },
    600_000,
  );
});
