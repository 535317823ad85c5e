import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { headerComment } from '../scripts/scriptArgs.ts';

const root = resolve(import.meta.dirname, '..');
const runScript = (script: string, args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', `scripts/${script}.ts`, ...args], {
    cwd: root,
    encoding: 'utf8',
  });

describe('scriptArgs', () => {
  it('reads a script header comment as its usage', () => {
    const usage = headerComment(resolve(root, 'scripts/sweep-cmnist.ts'));
    expect(usage.split('\n')[0]).toMatch(/^Colored MNIST sweep: /);
    expect(usage).toContain('npx tsx scripts/sweep-cmnist.ts [--lambdas 0,0.9]');
    expect(usage).not.toMatch(/^\/\//m);
    expect(usage).not.toContain('import ');
  });

  it('prints the usage on --help and exits 0', () => {
    const r = runScript('bench-raycast', ['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('npx tsx scripts/bench-raycast.ts [--repeats N]');
  });

  it('names the script and the wrong flag, with the usage, and exits 2', () => {
    const r = runScript('sweep-cmnist', ['--lamdas', '0']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("sweep-cmnist: Unknown option '--lamdas'");
    expect(r.stderr).toContain('[--lambdas 0,0.9]');
  });
});
