import type { Readable } from 'node:stream';
import { extract as tarExtract, type Header } from 'tar-stream';
import { DatasetError } from './errors.ts';

/** One regular file of a tar archive. */
export interface TarFile {
  name: string;
  data: Buffer;
}

const BLOCK = 512;
/** The two zero blocks that end every tar archive (POSIX; ShardWriter's tar-stream writes them too). */
const END_OF_ARCHIVE = 2 * BLOCK;

/**
 * The regular files of a tar archive, in order, from a stream or from bytes in memory. Checks that the
 * archive ends with its end-of-archive blocks: a file cut short on an entry boundary (a sample
 * boundary, say) parses cleanly entry by entry, and only their absence shows the cut. Throws
 * DatasetError('SHARD_READ') naming `path` for an unreadable, malformed or truncated archive.
 */
export async function* tarFiles(input: Readable | Uint8Array, path: string): AsyncGenerator<TarFile> {
  const fail = (what: string) => new DatasetError('SHARD_READ', `tarFiles: ${path}: ${what}`, path);
  const extract = tarExtract();
  let total = 0;
  /** The archive's last bytes, up to END_OF_ARCHIVE of them. */
  let tail: Buffer = Buffer.alloc(0);
  const track = (chunk: Uint8Array) => {
    total += chunk.length;
    const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    tail = (bytes.length >= END_OF_ARCHIVE ? bytes : Buffer.concat([tail, bytes])).subarray(-END_OF_ARCHIVE);
  };
  if (input instanceof Uint8Array) {
    track(input);
    extract.end(input);
  } else {
    input.on('data', track);
    input.on('error', (err) => extract.destroy(err));
    input.pipe(extract);
  }
  let files = 0;
  let last = { name: '', end: 0 };
  try {
    for await (const entry of extract) {
      const chunks: Buffer[] = [];
      for await (const chunk of entry) chunks.push(chunk as Buffer);
      // tar-stream 3 records where an entry's data starts (after any pax or GNU long-name headers).
      const { byteOffset, size = 0 } = entry.header as Header & { byteOffset: number };
      last = { name: entry.header.name, end: byteOffset + Math.ceil(size / BLOCK) * BLOCK };
      files++;
      if (entry.header.type === 'file') yield { name: entry.header.name, data: Buffer.concat(chunks) };
    }
  } catch (err) {
    throw fail(`not a readable tar, or cut off inside an entry (${(err as Error).message})`);
  } finally {
    // A reader that stops early (a consumer's break) leaves the file open otherwise.
    if (!(input instanceof Uint8Array)) input.destroy();
  }
  if (!(total - last.end >= END_OF_ARCHIVE && tail.every((b) => b === 0))) {
    throw fail(
      `truncated: ends at byte ${total}${files ? ` after ${files} entries (last ${last.name})` : ''}, without the end-of-archive blocks`,
    );
  }
}
