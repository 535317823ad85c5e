import { createHash } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { type Pack, pack as tarPack } from 'tar-stream';
import { FileWriteError, systemErrorText } from '@oxels/core';
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
 * a truncated shard that looks complete. A failed write (a full disk) surfaces as a FileWriteError
 * naming the `.tmp` at the next `add` or at `close`; `abort()` then removes the `.tmp`.
 */
export class ShardWriter {
  readonly name: string;
  private readonly finalPath: string;
  private readonly tmpPath: string;
  private readonly pack: Pack;
  private readonly file: WriteStream;
  private readonly hash = createHash('sha256');
  /** Resolves when the file is closed, whether written, failed or aborted. */
  private readonly closed: Promise<void>;
  private failure: FileWriteError | null = null;
  private bytes = 0;
  private samples = 0;

  constructor(dir: string, index: number) {
    this.name = shardName(index);
    this.finalPath = join(dir, this.name);
    this.tmpPath = `${this.finalPath}.tmp`;
    this.pack = tarPack();
    this.file = createWriteStream(this.tmpPath);
    this.closed = new Promise((resolve) => this.file.on('close', resolve));
    this.pack.on('data', (chunk: unknown) => {
      this.hash.update(chunk as Buffer);
      this.bytes += (chunk as Buffer).length;
    });
    // A failed write destroys the pack too (streamx pipe), which then emits the same error: without
    // these listeners that was an uncaught exception with a stack trace.
    this.file.on('error', (err) => this.fail(err));
    this.pack.on('error', (err: Error) => this.fail(err));
    this.pack.pipe(this.file);
  }

  /** Appends one sample. */
  add(sample: ViewPairSample): void {
    this.addFiles(encodeSample(sample));
  }

  /** Appends one sample already encoded (by a worker) with `encodeSample`. Throws once a write has failed. */
  addFiles(files: SampleFile[]): void {
    if (this.failure) throw this.failure;
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
    if (!this.failure) this.pack.finalize();
    await this.closed;
    if (this.failure) throw this.failure;
    try {
      const handle = await open(this.tmpPath, 'r+');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(this.tmpPath, this.finalPath);
    } catch (err) {
      throw this.fail(err);
    }
    return { name: this.name, samples: this.samples, bytes: this.bytes, sha256: this.hash.digest('hex') };
  }

  /** Drops the unfinished shard: waits for its file to close (an open still under way would recreate it), then removes it. */
  async abort(): Promise<void> {
    this.pack.destroy();
    this.file.destroy();
    await this.closed;
    await rm(this.tmpPath, { force: true });
  }

  /** Keeps the first failure (later ones are its echoes), stops writing and returns it. */
  private fail(err: unknown): FileWriteError {
    this.failure ??= new FileWriteError(
      `ShardWriter: cannot write ${this.tmpPath}: ${systemErrorText(err)}`,
      this.tmpPath,
      err,
    );
    this.file.destroy();
    return this.failure;
  }
}
