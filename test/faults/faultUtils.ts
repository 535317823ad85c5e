// Helpers of the fault tests: a tiny real dataset, the CLIs run as a user runs them, shards rewritten.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type DatasetManifest,
  DEFAULT_ASSET_CACHE_DIR,
  DEFAULT_GENERATE_CONFIG,
  type GenerateConfig,
  generateDataset,
  type SampleFile,
  ShardWriter,
} from '@oxels/scene-gen';
import { tarIndex } from '@oxels/inspect';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * A real gen-scenes dataset in `dir`, as small as it gets: `rooms` x `pairsPerRoom` pairs of 64x48
 * views, `shardSize` pairs per shard (seed 7); `size` may also set other config fields (width, depth...).
 */
export async function tinyDataset(
  dir: string,
  size: Pick<GenerateConfig, 'rooms' | 'pairsPerRoom' | 'shardSize'> & Partial<GenerateConfig>,
): Promise<void> {
  await generateDataset(
    { ...DEFAULT_GENERATE_CONFIG, width: 64, height: 48, seed: 7, ...size },
    { out: dir, workers: 1, shardIndex: 0, numShards: 1, assetCache: DEFAULT_ASSET_CACHE_DIR },
  );
}

/** Flags of a train run that takes seconds: the 2D U-Net on 32x32 crops, 2 steps of 1 pair, one thread. */
export const QUICK_TRAIN = [
  '--quiet',
  ...['--model', '2d', '--crop', '32x32', '--batch', '1', '--samples', '64', '--steps', '2'],
  ...['--backend', 'wasm', '--threads', '1'],
];

/** Runs a CLI of the repository (`packages/x/bin/y.ts`) in a child process, as `pnpm y` does. */
export function runBin(
  bin: string,
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', bin, ...args], { cwd: ROOT }, (err, stdout, stderr) =>
      resolve({ code: err ? Number(err.code) : 0, stdout, stderr }),
    );
  });
}

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
