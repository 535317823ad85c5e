// Helpers of the fault tests: a tiny real dataset, the CLIs run as a user runs them (with their output),
// shards rewritten.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tarIndex } from '@oxels/dataset';
import { type DatasetManifest, type SampleFile, ShardWriter } from '@oxels/dataset';
import {
  DEFAULT_ASSET_CACHE_DIR,
  DEFAULT_GENERATE_CONFIG,
  type GenerateConfig,
  generateDataset,
} from '@oxels/scene-gen';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * A real gen-scenes dataset in `dir`, as small as it gets: `rooms` x `pairsPerRoom` pairs of 64x48
 * views, `shardSize` pairs per shard (seed 7); `size` may also set other config fields (width, depth...).
 * Returns `dir`.
 */
export async function tinyDataset(
  dir: string,
  size: Pick<GenerateConfig, 'rooms' | 'pairsPerRoom' | 'shardSize'> & Partial<GenerateConfig> = {
    rooms: 2,
    pairsPerRoom: 2,
    shardSize: DEFAULT_GENERATE_CONFIG.shardSize,
  },
): Promise<string> {
  await generateDataset(
    { ...DEFAULT_GENERATE_CONFIG, width: 64, height: 48, seed: 7, ...size },
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

/** How a CLI run ended: its exit code (-1 when killed by a signal), stdout and stderr. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `node --import tsx ENTRY ARGS` (as package.json's scripts do) in the repository root, to its end,
 * failing or not. `preload` is a module node imports first (a fault injector); `env` is added to the
 * environment.
 */
export function runNode(
  entry: string,
  args: string[],
  options: { preload?: string; env?: Record<string, string> } = {},
): Promise<CliResult> {
  const imports = ['--import', 'tsx', ...(options.preload ? ['--import', options.preload] : [])];
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [...imports, entry, ...args],
      { cwd: ROOT, env: { ...process.env, ...options.env }, maxBuffer: 1 << 24 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** What a CLI run left: its exit code, stdout, and the stderr lines it wrote itself (`prefix`). */
export interface CliRun extends CliResult {
  /**
   * stderr lines that start with the CLI's own prefix, but its backend and dataset-check lines (no
   * driver notices either).
   */
  lines: string[];
}

/** Runs `pnpm <cli>` (node with tsx's loader, as package.json does) in the repository root. */
export function runCli(
  cli: 'train' | 'eval' | 'inspect',
  args: string[],
  prefix = `${cli}`,
): Promise<CliRun> {
  const entry = join(ROOT, 'packages', cli === 'inspect' ? 'inspect' : 'trainer', 'bin', `${cli}.ts`);
  return runNode(entry, args).then((run) => ({
    ...run,
    lines: run.stderr
      .split('\n')
      .filter(
        (l) =>
          l.startsWith(prefix) && !l.startsWith(`${prefix}: backend `) && !l.startsWith(`${prefix}: data: `),
      ),
  }));
}

/** A JavaScript stack frame in some output (a driver's own "at" lines have no file:line:column). */
export const STACK_FRAME = /^\s+at .*\.[cm]?[jt]s:\d+:\d+\)?$/m;

/** The float32 values of a checkpoint's weights.bin. */
export function weightsOf(checkpointDir: string): Float32Array {
  const bytes = readFileSync(join(checkpointDir, 'weights.bin'));
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

/** TINY_TRAIN_FLAGS for datasets of one pair: batches of one, two steps on one wasm thread. */
export const QUICK_TRAIN = [
  ...TINY_TRAIN_FLAGS.map((f, i, all) => (all[i - 1] === '--batch' ? '1' : f)),
  ...['--steps', '2', '--backend', 'wasm', '--threads', '1'],
];

/** The files of a shard in order, with where each one's header and data lie (the shard must be whole). */
export async function shardLayout(path: string) {
  return (await tarIndex(path)).map((e) => ({ ...e, header: e.offset - 512 }));
}

/**
 * Writes shard `path` again through scene-gen's ShardWriter (tar-stream, fixed header fields), each
 * file's bytes replaced by what `edit` returns for it. The manifest keeps the old record.
 */
export async function rewriteShard(
  path: string,
  edit: (name: string, data: Uint8Array) => Uint8Array,
): Promise<void> {
  const bytes = await readFile(path);
  const samples = new Map<string, SampleFile[]>();
  for (const e of await tarIndex(path)) {
    const key = e.name.slice(0, e.name.indexOf('.'));
    const data = edit(e.name, bytes.subarray(e.offset, e.offset + e.size));
    samples.set(key, [...(samples.get(key) ?? []), { name: e.name, data }]);
  }
  const writer = new ShardWriter(dirname(path), Number(/shard-(\d+)\.tar$/.exec(path)![1]));
  for (const files of samples.values()) writer.addFiles(files);
  await writer.close();
}

/**
 * Records shard `path`'s current size and sha256 in its dataset's manifest.json, as if the generator had
 * written these bytes: the checks that follow are the readers' own, not the manifest's.
 */
export function adoptShard(path: string): void {
  const manifestPath = join(dirname(path), 'manifest.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as DatasetManifest;
  const bytes = readFileSync(path);
  const record = manifest.shards.find((s) => s.name === basename(path))!;
  record.bytes = bytes.length;
  record.sha256 = createHash('sha256').update(bytes).digest('hex');
  writeFileSync(manifestPath, JSON.stringify(manifest));
}

/** A .npy file with a hand-written header (format 1.0) and raw data. */
export function npyBytes(header: string, data: Uint8Array): Buffer {
  const text = `${header}\n`;
  const head = Buffer.alloc(10);
  head.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  head.writeUInt16LE(text.length, 8);
  return Buffer.concat([head, Buffer.from(text), data]);
}
