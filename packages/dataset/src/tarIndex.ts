import { open } from 'node:fs/promises';
import { DatasetError } from './errors.ts';

/** Where one file's bytes lie in a tar archive. */
export interface TarEntry {
  name: string;
  /** Byte offset of the file's data in the archive, and its length. */
  offset: number;
  size: number;
}

const BLOCK = 512;

function field(header: Buffer, start: number, length: number): string {
  const raw = header.subarray(start, start + length);
  const end = raw.indexOf(0);
  return raw.subarray(0, end < 0 ? length : end).toString('utf8');
}

/** `path=` record of a pax extended header ("LEN path=VALUE\n" records), if there is one. */
function paxPath(data: Buffer): string | null {
  let at = 0;
  while (at < data.length) {
    const space = data.indexOf(0x20, at);
    if (space < 0) return null;
    const length = Number.parseInt(data.subarray(at, space).toString('ascii'), 10);
    if (!(length > 0)) return null;
    const record = data.subarray(space + 1, at + length - 1).toString('utf8');
    if (record.startsWith('path=')) return record.slice(5);
    at += length;
  }
  return null;
}

/**
 * The regular files of a tar archive (ustar, with pax and GNU long names) and where their bytes lie,
 * from the 512-byte headers alone: the data is skipped, not read, so indexing a shard costs one small
 * read per file. Lets a viewer fetch one sample of a large shard without streaming the ones before it
 * (tarFiles streams them all, in order). Throws DatasetError('SHARD_READ') naming the archive when a header is malformed or cut off.
 */
export async function tarIndex(path: string): Promise<TarEntry[]> {
  const fail = (what: string) => new DatasetError('SHARD_READ', `tarIndex: ${path}: ${what}`, path);
  const file = await open(path, 'r').catch((err: Error) => {
    throw fail(`cannot open (${err.message})`);
  });
  try {
    const { size: fileSize } = await file.stat();
    const header = Buffer.alloc(BLOCK);
    const entries: TarEntry[] = [];
    let offset = 0;
    let longName: string | null = null;
    for (;;) {
      // Every writer ends a tar with zero blocks (ShardWriter too): running out of bytes before
      // them means the archive was cut short, even when the cut falls on an entry boundary.
      if (offset + BLOCK > fileSize) {
        throw fail(
          `truncated: ends at byte ${fileSize} after ${entries.length} files, without the end-of-archive blocks`,
        );
      }
      await file.read(header, 0, BLOCK, offset);
      if (header.every((b) => b === 0)) break;
      const size = Number.parseInt(field(header, 124, 12).trim() || '0', 8);
      if (!Number.isFinite(size) || size < 0) throw fail(`bad size field in the header at byte ${offset}`);
      const dataOffset = offset + BLOCK;
      if (dataOffset + size > fileSize) throw fail(`truncated: ${field(header, 0, 100)} runs past the end`);
      const type = String.fromCharCode(header[156]);
      if (type === 'x' || type === 'L') {
        const data = Buffer.alloc(size);
        await file.read(data, 0, size, dataOffset);
        longName = type === 'L' ? field(data, 0, size) : paxPath(data);
      } else if (type === '0' || type === '\0') {
        const prefix = field(header, 345, 155);
        const name = longName ?? (prefix ? `${prefix}/${field(header, 0, 100)}` : field(header, 0, 100));
        entries.push({ name, offset: dataOffset, size });
        longName = null;
      } else {
        longName = null;
      }
      offset = dataOffset + Math.ceil(size / BLOCK) * BLOCK;
    }
    return entries;
  } finally {
    await file.close();
  }
}

/**
 * Reads `entry`'s bytes from the archive at `path`. Throws DatasetError('SHARD_READ') naming the archive
 * when it cannot be opened or ends before the entry does.
 */
export async function readTarEntry(path: string, entry: TarEntry): Promise<Uint8Array> {
  const file = await open(path, 'r').catch((err: Error) => {
    throw new DatasetError('SHARD_READ', `readTarEntry: ${path}: cannot open (${err.message})`, path);
  });
  try {
    const data = Buffer.alloc(entry.size);
    const { bytesRead } = await file.read(data, 0, entry.size, entry.offset);
    if (bytesRead !== entry.size) {
      throw new DatasetError(
        'SHARD_READ',
        `readTarEntry: ${path}: ${entry.name} is cut off (read ${bytesRead} of ${entry.size} bytes)`,
        path,
      );
    }
    return data;
  } finally {
    await file.close();
  }
}
