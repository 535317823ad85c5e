// Helpers of the fault tests: the real gen-scenes CLI in a child process, and a dataset directory's bytes.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const root = new URL('../../', import.meta.url).pathname;
const assetCache = join(root, 'assets/cache');

/** How a gen-scenes run ended. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `gen-scenes ARGS` to its end, failing or not. `preload` is a module node imports first (a fault
 * injector); `env` is added to the environment.
 */
export function genScenes(
  args: string[],
  options: { preload?: string; env?: Record<string, string> } = {},
): Promise<CliResult> {
  const imports = ['--import', 'tsx', ...(options.preload ? ['--import', options.preload] : [])];
  const argv = [...imports, 'packages/scene-gen/bin/gen-scenes.ts', ...args, '--asset-cache', assetCache];
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      argv,
      { cwd: root, env: { ...process.env, ...options.env }, maxBuffer: 1 << 24 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** The sha256 of every file in `dir`, by name (sorted). */
export function fileHashes(dir: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir)
      .sort()
      .map((name) => [
        name,
        createHash('sha256')
          .update(readFileSync(join(dir, name)))
          .digest('hex'),
      ]),
  );
}

/** The lines of a run's stderr that gen-scenes wrote (not the workers' renderer notes). */
export function ownLines(stderr: string): string[] {
  return stderr
    .split('\n')
    .filter((line) => line.startsWith('gen-scenes: ') && !/^gen-scenes: worker /.test(line));
}
