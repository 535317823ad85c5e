import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { TrainerError } from '../../errors.ts';

/** Element types of the IDX format (LeCun's MNIST files), by type code (the magic's third byte). */
const IDX_TYPES = {
  8: { name: 'uint8', size: 1 },
  9: { name: 'int8', size: 1 },
  11: { name: 'int16', size: 2 },
  12: { name: 'int32', size: 4 },
  13: { name: 'float32', size: 4 },
  14: { name: 'float64', size: 8 },
} as const;

/** Element type of an IDX file. */
export type IdxType = (typeof IDX_TYPES)[keyof typeof IDX_TYPES]['name'];

/** The content of an IDX file: its dimensions and its values, row-major. */
export interface IdxArray {
  type: IdxType;
  /** Sizes of the dimensions, outermost first (e.g. [count, 28, 28] for MNIST images). */
  dims: number[];
  /** The values, row-major, in the array type that matches `type`. */
  data: Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;
}

const hex = (n: number) => `0x${n.toString(16).padStart(8, '0')}`;

/**
 * Reads an IDX file (gzip-compressed or raw; detected from the gzip signature). Throws
 * TrainerError('NOT_FOUND') when the file cannot be read and TrainerError('BAD_DATA') naming the path when
 * it is not IDX (wrong magic), is truncated, or has trailing bytes.
 */
export async function readIdx(path: string): Promise<IdxArray> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (err) {
    throw new TrainerError('NOT_FOUND', `readIdx: cannot read ${path} (${(err as Error).message})`, path);
  }
  return parseIdx(bytes, path);
}

/** Parses the bytes of an IDX file; `path` only names the file in errors. See `readIdx`. */
export function parseIdx(bytes: Uint8Array, path: string): IdxArray {
  const fail = (what: string) => new TrainerError('BAD_DATA', `readIdx: ${what} in ${path}`, path);
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes);
    } catch (err) {
      throw fail(`corrupt or truncated gzip stream (${(err as Error).message})`);
    }
  }
  if (bytes.length < 4)
    throw fail(`file too short for an IDX header (got ${bytes.length} bytes, expected >= 4)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0);
  const type = IDX_TYPES[bytes[2] as keyof typeof IDX_TYPES];
  const ndims = bytes[3];
  if (bytes[0] !== 0 || bytes[1] !== 0 || !type || ndims === 0) {
    throw fail(
      `wrong magic number, not an IDX file (got ${hex(magic)}, expected 0x0000TTNN, e.g. 0x00000803)`,
    );
  }
  const headerBytes = 4 + 4 * ndims;
  if (bytes.length < headerBytes) {
    throw fail(
      `truncated header (got ${bytes.length} bytes, expected >= ${headerBytes} for ${ndims} dimensions)`,
    );
  }
  const dims: number[] = [];
  for (let d = 0; d < ndims; d++) dims.push(view.getUint32(4 + 4 * d));
  const count = dims.reduce((a, b) => a * b, 1);
  const expected = headerBytes + count * type.size;
  if (bytes.length < expected) {
    throw fail(
      `truncated data (got ${bytes.length} bytes, expected ${expected} for dims [${dims.join(', ')}] of ${type.name})`,
    );
  }
  if (bytes.length > expected) {
    throw fail(
      `${bytes.length - expected} trailing bytes after the data (got ${bytes.length} bytes, expected ${expected} ` +
        `for dims [${dims.join(', ')}]): is the header's count wrong?`,
    );
  }
  return { type: type.name, dims, data: decodeValues(bytes, headerBytes, count, type.name) };
}

/** IDX stores multi-byte values big-endian; DataView reads them portably. */
function decodeValues(bytes: Uint8Array, offset: number, count: number, type: IdxType): IdxArray['data'] {
  // new Uint8Array(view) copies: Buffer#slice would return a view into Node's buffer.
  if (type === 'uint8') return new Uint8Array(bytes.subarray(offset, offset + count));
  if (type === 'int8') return new Int8Array(new Uint8Array(bytes.subarray(offset, offset + count)).buffer);
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, bytes.byteLength - offset);
  switch (type) {
    case 'int16':
      return Int16Array.from({ length: count }, (_, i) => view.getInt16(2 * i));
    case 'int32':
      return Int32Array.from({ length: count }, (_, i) => view.getInt32(4 * i));
    case 'float32':
      return Float32Array.from({ length: count }, (_, i) => view.getFloat32(4 * i));
    case 'float64':
      return Float64Array.from({ length: count }, (_, i) => view.getFloat64(8 * i));
  }
}
