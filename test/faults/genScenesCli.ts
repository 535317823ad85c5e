// Helpers of the fault tests: the real gen-scenes CLI in a child process, and a dataset directory's bytes.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type CliResult, ROOT, runNode } from './faultUtils.ts';

export const root = ROOT;
const assetCache = join(root, 'assets/cache');

/**
 * Runs `gen-scenes ARGS` to its end, failing or not (see runNode for `preload` and `env`), with the
 * repository's asset cache.
 */
export function genScenes(
  args: string[],
  options: { preload?: string; env?: Record<string, string> } = {},
): Promise<CliResult> {
  return runNode('packages/scene-gen/bin/gen-scenes.ts', [...args, '--asset-cache', assetCache], options);
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
