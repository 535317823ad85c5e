import { SceneGenError } from '../errors.ts';

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
    throw new SceneGenError(
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

/** Decodes a .npy file (v1/v2, little-endian, C order) into a typed array and its shape. */
export function decodeNpy(bytes: Uint8Array, name = '.npy'): { data: NpyArray; shape: number[] } {
  const fail = (what: string) => new SceneGenError('SHARD_READ', `decodeNpy: ${name}: ${what}`);
  if (bytes.length < 10 || bytes[0] !== 0x93 || String.fromCharCode(...bytes.subarray(1, 6)) !== 'NUMPY') {
    throw fail('not a .npy file (bad magic)');
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const major = bytes[6];
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = major === 1 ? 10 + headerLength : 12 + headerLength;
  const header = new TextDecoder().decode(bytes.subarray(major === 1 ? 10 : 12, start));
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (/'fortran_order':\s*True/.test(header)) throw fail('Fortran order is not supported');
  const entry = DTYPES.find(([d]) => d === descr);
  if (!entry || shapeText === undefined) throw fail(`unsupported header ${header.trim()}`);
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map(Number);
  const count = shape.reduce((a, b) => a * b, 1);
  const [, Ctor, size] = entry;
  if (bytes.length - start < count * size) {
    throw fail(`truncated: ${count * size} data bytes expected, ${bytes.length - start} present`);
  }
  // Copy into a fresh, aligned buffer (the tar entry's offset is rarely a multiple of 4; and a Node
  // Buffer's slice() is a view into a shared pool, not a copy).
  const copy = new Uint8Array(bytes.subarray(start, start + count * size));
  return { data: new Ctor(copy.buffer, 0, count), shape };
}
