import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Runs `gen-scenes ARGS` (which write into `out`) from `cwd` in its own process group, and SIGKILLs
 * the whole group (the workers too) as soon as `out/shard-000000.tar` is complete: a run killed
 * mid-dataset, for the resume tests.
 */
export async function killAfterFirstShard(args: string[], out: string, cwd: string): Promise<void> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'packages/scene-gen/bin/gen-scenes.ts', ...args, '--out', out],
    { cwd, detached: true, stdio: 'ignore' },
  );
  const exited = new Promise((resolve) => child.once('exit', resolve));
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      if (existsSync(join(out, 'shard-000000.tar'))) {
        clearInterval(timer);
        process.kill(-child.pid!, 'SIGKILL');
        resolve();
      }
    }, 50);
  });
  await exited;
}
