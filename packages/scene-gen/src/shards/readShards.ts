import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readdirSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { extract as tarExtract } from 'tar-stream';
import { SceneGenError } from '../errors.ts';
import { decodeNpy } from './npy.ts';
import { emptyCounts, type ManifestShard } from './manifest.ts';
import { decodeSample } from './sampleCodec.ts';
import { SAMPLE_FILES } from './schema.ts';
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

/**
 * The manifest record of an existing shard, from its bytes: size, sha256, sample count and status
 * counts (read from the .status.npy entries only, no image decoding). Used when a run resumes.
 */
export async function scanShard(path: string): Promise<ManifestShard> {
  const bytes = await readFile(path);
  const counts = emptyCounts();
  const extract = tarExtract();
  const done = (async () => {
    for await (const entry of extract) {
      const chunks: Buffer[] = [];
      for await (const chunk of entry) chunks.push(chunk as Buffer);
      if (!entry.header.name.endsWith(`.${SAMPLE_FILES.status}`)) continue;
      const status = decodeNpy(Buffer.concat(chunks), `${path}:${entry.header.name}`).data;
      counts.pairs++;
      counts.sampled += status.length;
      for (const s of status) {
        if (s === 0) counts.match++;
        else if (s === 1) counts.occluded++;
        else if (s === 2) counts.outOfView++;
        else counts.miss++;
      }
    }
  })();
  extract.end(bytes);
  try {
    await done;
  } catch (err) {
    throw new SceneGenError(
      'SHARD_READ',
      `scanShard: ${path} is not a readable tar (${(err as Error).message})`,
      path,
    );
  }
  return {
    name: path.slice(path.lastIndexOf('/') + 1),
    samples: counts.pairs,
    bytes: bytes.length,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    counts,
  };
}
