import { createReadStream, existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { extract as tarExtract } from 'tar-stream';
import { SceneGenError } from '../errors.ts';
import { decodeSample } from './sampleCodec.ts';
import type { ViewPairSample } from './ViewPairSample.ts';

/**
 * The complete shards of a dataset directory, in order (shard-*.tar; `.tmp` leftovers of a killed run
 * are ignored). Throws SceneGenError('SHARD_READ') for a missing directory or one with no shard.
 */
export function listShards(dir: string): string[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new SceneGenError(
      'SHARD_READ',
      `listShards: ${dir} is not a directory (expected the --out of gen-scenes)`,
      dir,
    );
  }
  const shards = readdirSync(dir)
    .filter((f) => /^shard-\d{6}\.tar$/.test(f))
    .sort()
    .map((f) => join(dir, f));
  if (shards.length === 0) {
    throw new SceneGenError(
      'SHARD_READ',
      `listShards: ${dir} holds no shard-NNNNNN.tar (run gen-scenes --out ${dir})`,
      dir,
    );
  }
  return shards;
}

/**
 * Streams the samples of one shard in order. A sample's files are consecutive entries sharing a key
 * (the name up to the first '.'). Throws SceneGenError('SHARD_READ') naming the shard when it is
 * truncated or a sample is malformed.
 */
export async function* readShard(path: string): AsyncGenerator<ViewPairSample> {
  const extract = tarExtract();
  const input = createReadStream(path);
  input.on('error', (err) => extract.destroy(err));
  input.pipe(extract);
  let key: string | null = null;
  let files = new Map<string, Uint8Array>();
  try {
    for await (const entry of extract) {
      const name = entry.header.name;
      const dot = name.indexOf('.');
      const entryKey = name.slice(0, dot);
      const chunks: Buffer[] = [];
      for await (const chunk of entry) chunks.push(chunk as Buffer);
      if (key !== null && entryKey !== key) {
        yield decodeSample(key, files, path);
        files = new Map();
      }
      key = entryKey;
      files.set(name.slice(dot + 1), Buffer.concat(chunks));
    }
  } catch (err) {
    if (err instanceof SceneGenError) throw err;
    throw new SceneGenError(
      'SHARD_READ',
      `readShard: ${path} is not a readable tar (${(err as Error).message})`,
      path,
    );
  }
  if (key !== null) yield decodeSample(key, files, path);
}

/** Streams every sample of a dataset directory, shard after shard. */
export async function* readDataset(dir: string): AsyncGenerator<ViewPairSample> {
  for (const shard of listShards(dir)) yield* readShard(shard);
}
