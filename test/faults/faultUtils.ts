// Helpers of the fault tests: a tiny real dataset, the CLIs run as a user runs them, and their output.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DEFAULT_ASSET_CACHE_DIR, DEFAULT_GENERATE_CONFIG, generateDataset } from '@oxels/scene-gen';

const root = resolve(import.meta.dirname, '../..');

/** 4 generated view pairs of 64x48 in one shard (a few seconds). */
export async function tinyDataset(dir: string): Promise<string> {
  await generateDataset(
    { ...DEFAULT_GENERATE_CONFIG, rooms: 2, pairsPerRoom: 2, width: 64, height: 48, seed: 3 },
    { out: dir, workers: 1, shardIndex: 0, numShards: 1, assetCache: DEFAULT_ASSET_CACHE_DIR },
  );
  return dir;
}

/** Flags of a train run small enough for a test: the 2D U-Net on 32x32 crops, 2 pairs of 64 samples. */
export const TINY_TRAIN_FLAGS = [
  '--model',
  '2d',
  '--crop',
  '32x32',
  '--batch',
  '2',
  '--samples',
  '64',
  '--quiet',
];

/** What a CLI run left: its exit code, stdout, and the stderr lines it wrote itself (`prefix`). */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** stderr lines that start with the CLI's own prefix, but its backend line (no driver notices either). */
  lines: string[];
}

/** Runs `pnpm <cli>` (node with tsx's loader, as package.json does) in the repository root. */
export function runCli(
  cli: 'train' | 'eval' | 'inspect',
  args: string[],
  prefix = `${cli}`,
): Promise<CliRun> {
  const entry = join(root, 'packages', cli === 'inspect' ? 'inspect' : 'trainer', 'bin', `${cli}.ts`);
  return new Promise((done) => {
    execFile(process.execPath, ['--import', 'tsx', entry, ...args], { cwd: root }, (err, stdout, stderr) => {
      const code = err ? ((err as { code?: number }).code ?? 1) : 0;
      const lines = stderr
        .split('\n')
        .filter((l) => l.startsWith(prefix) && !l.startsWith(`${prefix}: backend `));
      done({ code, stdout, stderr, lines });
    });
  });
}

/** A JavaScript stack frame in some output (a driver's own "at" lines have no file:line:column). */
export const STACK_FRAME = /^\s+at .*\.[cm]?[jt]s:\d+:\d+\)?$/m;

/** The float32 values of a checkpoint's weights.bin. */
export function weightsOf(checkpointDir: string): Float32Array {
  const bytes = readFileSync(join(checkpointDir, 'weights.bin'));
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}
