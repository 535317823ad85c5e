// scripts/sweep-cmnist end to end at a tiny budget: it trains and evaluates, writes the table, keeps
// finished runs on a rerun, and refuses to keep a run trained with another jitter.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

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
});
