import { basename } from 'node:path';
import type { DatasetManifest } from './DatasetManifest.ts';
import { DatasetError } from './errors.ts';
import { readManifest } from './manifest.ts';
import { listShards } from './readShards.ts';
import { decodeSample } from './sampleCodec.ts';
import { SAMPLE_FILES } from './schema.ts';
import { readTarEntry, type TarEntry, tarIndex } from './tarIndex.ts';
import type { ViewPairMeta, ViewPairSample } from './ViewPairSample.ts';

/** One pair of a dataset: its key, its shard and where its files lie in it. */
export interface PairRef {
  key: string;
  shard: string;
  /** Entries by suffix (the file name after the key and a dot, e.g. "a.png"; see SAMPLE_FILES). */
  files: Map<string, TarEntry>;
}

function attempt<T>(run: () => T, onError: (err: unknown) => never): T {
  try {
    return run();
  } catch (err) {
    return onError(err);
  }
}

/** How many decoded samples a DatasetIndex keeps (a viewer flips between a few pairs). */
const CACHE_SIZE = 8;

/**
 * Random access to the pairs of a dataset directory (docs/architecture.md#shard-format) by key: the
 * shards' tar headers are indexed once (no sample is decoded), then a pair is read and decoded on demand
 * from its own bytes (`decodeSample`), the last few kept in memory.
 */
export class DatasetIndex {
  readonly dir: string;
  /** `manifest.json`, or null when the directory has none (a run in progress, a partial copy). */
  readonly manifest: DatasetManifest | null;
  /** Every pair, in shard order. */
  readonly pairs: PairRef[];
  private readonly byKey: Map<string, PairRef>;
  private readonly cache = new Map<string, Promise<ViewPairSample>>();

  private constructor(dir: string, manifest: DatasetManifest | null, pairs: PairRef[]) {
    this.dir = dir;
    this.manifest = manifest;
    this.pairs = pairs;
    this.byKey = new Map(pairs.map((p) => [p.key, p]));
  }

  /**
   * Indexes the dataset in `dir`. Throws DatasetError('MISSING_DIR') when `dir` is not a dataset
   * (missing, or without shards) and DatasetError('SHARD_READ') for an unreadable shard or manifest.
   */
  static async open(dir: string): Promise<DatasetIndex> {
    const rethrow = (code: 'MISSING_DIR' | 'SHARD_READ') => (err: unknown) => {
      if (!(err instanceof DatasetError)) throw err;
      throw new DatasetError(code, `DatasetIndex.open: ${err.message}`, err.path ?? dir);
    };
    const shards = attempt(() => listShards(dir), rethrow('MISSING_DIR'));
    const manifest = attempt(() => readManifest(dir), rethrow('SHARD_READ'));
    const pairs: PairRef[] = [];
    for (const shard of shards) {
      const entries = await tarIndex(shard);
      // A sample's files are consecutive entries sharing the key (the name up to the first '.').
      let current: PairRef | undefined;
      for (const entry of entries) {
        const dot = entry.name.indexOf('.');
        if (dot <= 0) continue;
        const key = entry.name.slice(0, dot);
        if (current === undefined || current.key !== key) {
          current = { key, shard, files: new Map() };
          pairs.push(current);
        }
        current.files.set(entry.name.slice(dot + 1), entry);
      }
    }
    return new DatasetIndex(dir, manifest, pairs);
  }

  /** Whether the dataset has a pair `key`. */
  has(key: string): boolean {
    return this.byKey.has(key);
  }

  /** The pair `key`; throws DatasetError('UNKNOWN_PAIR') listing the closest valid keys. */
  pair(key: string): PairRef {
    const ref = this.byKey.get(key);
    if (!ref) {
      throw new DatasetError(
        'UNKNOWN_PAIR',
        `DatasetIndex.pair: no pair ${JSON.stringify(key)} in ${this.dir} (${this.pairs.length} pairs; did you mean ${this.suggest(key).join(', ')}?)`,
        this.dir,
      );
    }
    return ref;
  }

  /** Up to `count` valid keys closest to `key` (longest common prefix, then dataset order). */
  suggest(key: string, count = 5): string[] {
    const common = (k: string) => {
      let n = 0;
      while (n < k.length && n < key.length && k[n] === key[n]) n++;
      return n;
    };
    return this.pairs
      .map((p, i) => ({ key: p.key, score: common(p.key), i }))
      .sort((a, b) => b.score - a.score || a.i - b.i)
      .slice(0, count)
      .map((p) => p.key);
  }

  /** The raw bytes of one of a pair's files (`suffix` as in SAMPLE_FILES), or null if it has none. */
  async file(key: string, suffix: string): Promise<Uint8Array | null> {
    const ref = this.pair(key);
    const entry = ref.files.get(suffix);
    return entry ? readTarEntry(ref.shard, entry) : null;
  }

  /** A pair's metadata (its .json file only; nothing else is read). */
  async meta(key: string): Promise<ViewPairMeta> {
    const ref = this.pair(key);
    const bytes = await this.file(key, SAMPLE_FILES.meta);
    try {
      if (!bytes) throw new Error(`no ${key}.${SAMPLE_FILES.meta}`);
      return JSON.parse(new TextDecoder().decode(bytes)) as ViewPairMeta;
    } catch (err) {
      throw new DatasetError(
        'SHARD_READ',
        `DatasetIndex.meta: ${basename(ref.shard)}: ${key}.${SAMPLE_FILES.meta} (${(err as Error).message})`,
        ref.shard,
      );
    }
  }

  /** A pair, decoded (images, correspondences, optional depth and instances). */
  async sample(key: string): Promise<ViewPairSample> {
    const cached = this.cache.get(key);
    if (cached) {
      // Re-insert: Map keeps insertion order, so the first key is the least recently used.
      this.cache.delete(key);
      this.cache.set(key, cached);
      return cached;
    }
    const ref = this.pair(key);
    const loading = (async () => {
      const files = new Map<string, Uint8Array>();
      for (const [suffix, entry] of ref.files) files.set(suffix, await readTarEntry(ref.shard, entry));
      try {
        return decodeSample(key, files, ref.shard);
      } catch (err) {
        if (!(err instanceof DatasetError)) throw err;
        throw new DatasetError('SHARD_READ', `DatasetIndex.sample: ${err.message}`, ref.shard);
      }
    })();
    loading.catch(() => this.cache.delete(key));
    this.cache.set(key, loading);
    if (this.cache.size > CACHE_SIZE) this.cache.delete(this.cache.keys().next().value as string);
    return loading;
  }
}
