import { DatasetError } from './errors.ts';

/** Typed arrays that .npy files hold here, with their numpy dtype strings (little-endian). */
export type NpyArray = Float32Array | Int32Array | Uint8Array | Uint16Array;

const DTYPES: [string, new (b: ArrayBuffer, o: number, n: number) => NpyArray, number][] = [
  ['<f4', Float32Array, 4],
  ['<i4', Int32Array, 4],
  ['|u1', Uint8Array, 1],
  ['<u2', Uint16Array, 2],
];

function dtypeOf(array: NpyArray): string {
  if (array instanceof Float32Array) return '<f4';
  if (array instanceof Int32Array) return '<i4';
  if (array instanceof Uint8Array) return '|u1';
  return '<u2';
}

/**
 * Encodes a C-ordered array as .npy (format 1.0): magic, header dict padded so the data starts on a
 * 64-byte boundary, raw little-endian data. numpy.load reads it as is.
 */
export function encodeNpy(array: NpyArray, shape: number[]): Uint8Array {
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== array.length) {
    throw new DatasetError(
      'SHARD_WRITE',
      `encodeNpy: shape [${shape}] holds ${count} values (got ${array.length})`,
    );
  }
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${dtypeOf(array)}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  const unpadded = 10 + header.length + 1;
  header += `${' '.repeat((64 - (unpadded % 64)) % 64)}\n`;
  const out = new Uint8Array(10 + header.length + array.byteLength);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0], 0); // \x93NUMPY v1.0
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(new TextEncoder().encode(header), 10);
  out.set(new Uint8Array(array.buffer, array.byteOffset, array.byteLength), 10 + header.length);
  return out;
}

/**
 * Decodes a .npy file (v1-v3, little-endian, C order) into a typed array, its shape and dtype. `name` says
 * where the bytes come from (e.g. "shard-000000.tar:r000-p000001.b_xy.npy") in errors. Throws
 * DatasetError('SHARD_READ') for anything malformed: bad magic, a header or data cut off or running
 * past the end, a shape that is not a tuple of non-negative integers, an unsupported dtype.
 */
export function decodeNpy(
  bytes: Uint8Array,
  name = '.npy',
): { data: NpyArray; shape: number[]; dtype: string } {
  const fail = (what: string) => new DatasetError('SHARD_READ', `decodeNpy: ${name}: ${what}`, name);
  if (bytes.length < 10 || bytes[0] !== 0x93 || String.fromCharCode(...bytes.subarray(1, 6)) !== 'NUMPY') {
    throw fail('not a .npy file (bad magic)');
  }
  const major = bytes[6];
  if (major < 1 || major > 3) throw fail(`unsupported format version ${major} (expected 1, 2 or 3)`);
  const lengthBytes = major === 1 ? 2 : 4;
  if (bytes.length < 8 + lengthBytes) throw fail(`truncated header (${bytes.length} bytes)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = 8 + lengthBytes + headerLength;
  if (start > bytes.length) {
    throw fail(
      `truncated: the ${headerLength}-byte header runs past the end of the ${bytes.length}-byte file`,
    );
  }
  const header = new TextDecoder().decode(bytes.subarray(8 + lengthBytes, start));
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (/'fortran_order':\s*True/.test(header)) throw fail('Fortran order is not supported');
  const entry = DTYPES.find(([d]) => d === descr);
  if (!entry || shapeText === undefined) throw fail(`unsupported header ${header.trim().slice(0, 200)}`);
  const dims = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  // Number() would turn "-1", "1e3" or "x" into values that break the typed array below.
  if (!dims.every((d) => /^\d+$/.test(d))) throw fail(`shape (${shapeText}) is not a tuple of sizes >= 0`);
  const shape = dims.map(Number);
  const count = shape.reduce((a, b) => a * b, 1);
  const [dtype, Ctor, size] = entry;
  const present = bytes.length - start;
  if (!(count * size <= present)) {
    throw fail(`truncated: ${count * size} data bytes expected for shape [${shape}], ${present} present`);
  }
  if (count * size < present) {
    throw fail(`${present - count * size} bytes after the data of shape [${shape}] (${dtype})`);
  }
  // Copy into a fresh, aligned buffer (the tar entry's offset is rarely a multiple of 4; and a Node
  // Buffer's slice() is a view into a shared pool, not a copy).
  const copy = new Uint8Array(bytes.subarray(start, start + count * size));
  return { data: new Ctor(copy.buffer, 0, count), shape, dtype };
}
