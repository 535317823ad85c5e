import { createHash } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { type Pack, pack as tarPack } from 'tar-stream';
import { SceneGenError } from '../errors.ts';
import { encodeSample, type SampleFile } from './sampleCodec.ts';
import { shardName } from './schema.ts';
import type { ViewPairSample } from './ViewPairSample.ts';

/** What the manifest records of a finished shard. */
export interface ShardRecord {
  name: string;
  samples: number;
  bytes: number;
  sha256: string;
}

// Fixed tar header fields: the same samples give the same bytes on every machine, at any time.
const HEADER = {
  mode: 0o644,
  uid: 0,
  gid: 0,
  uname: '',
  gname: '',
  mtime: new Date(0),
  type: 'file' as const,
};

/**
 * Writes one shard incrementally: samples are added in order, the tar goes to `<name>.tmp`, and only
 * `close()` renames it to its final name, after it is flushed and synced, so a killed run never leaves
 * a truncated shard that looks complete.
 */
export class ShardWriter {
  readonly name: string;
  private readonly finalPath: string;
  private readonly tmpPath: string;
  private readonly pack: Pack;
  private readonly file: WriteStream;
  private readonly hash = createHash('sha256');
  private readonly done: Promise<void>;
  private bytes = 0;
  private samples = 0;

  constructor(dir: string, index: number) {
    this.name = shardName(index);
    this.finalPath = join(dir, this.name);
    this.tmpPath = `${this.finalPath}.tmp`;
    this.pack = tarPack();
    this.file = createWriteStream(this.tmpPath);
    this.pack.on('data', (chunk: unknown) => {
      this.hash.update(chunk as Buffer);
      this.bytes += (chunk as Buffer).length;
    });
    this.pack.pipe(this.file);
    this.done = new Promise((resolve, reject) => {
      this.file.on('close', resolve);
      this.file.on('error', (err) =>
        reject(
          new SceneGenError(
            'SHARD_WRITE',
            `ShardWriter: cannot write ${this.tmpPath}: ${err.message}`,
            this.tmpPath,
          ),
        ),
      );
    });
    // Surface open errors (unwritable directory) at the next await rather than as an unhandled event.
    this.done.catch(() => {});
  }

  /** Appends one sample. */
  add(sample: ViewPairSample): void {
    this.addFiles(encodeSample(sample));
  }

  /** Appends one sample already encoded (by a worker) with `encodeSample`. */
  addFiles(files: SampleFile[]): void {
    for (const { name, data } of files) {
      this.pack.entry(
        { ...HEADER, name, size: data.length },
        Buffer.from(data.buffer, data.byteOffset, data.byteLength),
      );
    }
    this.samples++;
  }

  /** Finishes the tar, syncs it to disk and gives it its final name. */
  async close(): Promise<ShardRecord> {
    this.pack.finalize();
    await this.done;
    const handle = await open(this.tmpPath, 'r+');
    await handle.sync();
    await handle.close();
    await rename(this.tmpPath, this.finalPath);
    return { name: this.name, samples: this.samples, bytes: this.bytes, sha256: this.hash.digest('hex') };
  }

  /** Drops the unfinished shard. */
  async abort(): Promise<void> {
    this.pack.destroy();
    this.file.destroy();
    await rm(this.tmpPath, { force: true });
  }
}
