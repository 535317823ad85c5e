import { AssetLoadError } from '../errors.ts';

/** One property of a PLY element: a scalar, or a list (count type + item type). */
export interface PlyProperty {
  name: string;
  /** Scalar type, or the item type of a list ("float", "uchar", ...). */
  type: string;
  /** Set for list properties: the type of the leading count. */
  countType?: string;
}

/** One element block of a PLY file (e.g. `vertex`, `face`). */
export interface PlyElement {
  name: string;
  count: number;
  properties: PlyProperty[];
}

/** What a PLY header declares; `headerLength` is the byte offset of the body. */
export interface PlyHeader {
  format: 'ascii' | 'binary_little_endian' | 'binary_big_endian';
  elements: PlyElement[];
  headerLength: number;
}

/** Byte sizes of the PLY scalar types (both the old and the sized names). */
const PLY_TYPE_SIZES: Record<string, number> = {
  char: 1,
  int8: 1,
  uchar: 1,
  uint8: 1,
  short: 2,
  int16: 2,
  ushort: 2,
  uint16: 2,
  int: 4,
  int32: 4,
  uint: 4,
  uint32: 4,
  float: 4,
  float32: 4,
  double: 8,
  float64: 8,
};

const FORMATS = ['ascii', 'binary_little_endian', 'binary_big_endian'] as const;

/** Longest header we look for `end_header` in; real headers are well under 1 KB. */
const MAX_HEADER_BYTES = 65536;

/**
 * Parses the header of a PLY file, so that a file can be checked before three's parser reads it
 * (three's parser answers a truncated body with a bare RangeError, and invents a NaN `label`
 * attribute when the property is absent).
 *
 * @param bytes the file (only the first 64 KB are looked at)
 * @param path for error messages
 * @throws AssetLoadError when the header is missing or malformed
 */
export function readPlyHeader(bytes: Uint8Array, path: string): PlyHeader {
  const fail = (what: string): never => {
    throw new AssetLoadError(`readPlyHeader: ${what} in ${path}`, path);
  };
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, Math.min(bytes.length, MAX_HEADER_BYTES)));
  if (!/^ply\r?\n/.test(head)) fail(`not a PLY file (got first bytes ${JSON.stringify(head.slice(0, 8))})`);
  const end = /(^|\n)end_header\r?\n/.exec(head);
  if (!end) fail('no end_header line (file truncated inside the header?)');
  const headerLength = end!.index + end![0].length;
  let format: PlyHeader['format'] | undefined;
  const elements: PlyElement[] = [];
  for (const raw of head.slice(0, headerLength).split('\n')) {
    const tokens = raw.trim().split(/\s+/);
    const [key] = tokens;
    if (key === 'format') {
      format = FORMATS.find((f) => f === tokens[1]);
      if (!format) fail(`unknown format "${tokens[1]}" (expected one of ${FORMATS.join(', ')})`);
    } else if (key === 'element') {
      const count = Number(tokens[2]);
      if (!Number.isInteger(count) || count < 0)
        fail(`bad count of element ${tokens[1]} (got "${tokens[2]}")`);
      elements.push({ name: tokens[1], count, properties: [] });
    } else if (key === 'property') {
      const element = elements.at(-1) ?? fail('property before any element');
      const isList = tokens[1] === 'list';
      const property: PlyProperty = isList
        ? { name: tokens[4], type: tokens[3], countType: tokens[2] }
        : { name: tokens[2], type: tokens[1] };
      for (const t of [property.type, property.countType]) {
        if (t !== undefined && !(t in PLY_TYPE_SIZES)) fail(`unknown property type "${t}"`);
      }
      element.properties.push(property);
    }
  }
  if (!format) fail('no format line');
  return { format: format!, elements, headerLength };
}

/**
 * Smallest body a PLY with this header can have, counting 3 items for each list of the `face`
 * element (a triangle) and none for other lists: in bytes for a binary file, in whitespace-separated
 * values for an ASCII one. A shorter body means a truncated file.
 */
export function minimumBodySize(header: PlyHeader): number {
  const size = (type: string): number => (header.format === 'ascii' ? 1 : PLY_TYPE_SIZES[type]);
  let total = 0;
  for (const element of header.elements) {
    let perElement = 0;
    for (const p of element.properties) {
      perElement += p.countType
        ? size(p.countType) + (element.name === 'face' ? 3 * size(p.type) : 0)
        : size(p.type);
    }
    total += perElement * element.count;
  }
  return total;
}

/** Number of whitespace-separated values in `bytes` from `start` on (the body of an ASCII PLY). */
export function countAsciiValues(bytes: Uint8Array, start: number): number {
  let count = 0;
  let inValue = false;
  for (let i = start; i < bytes.length; i++) {
    const c = bytes[i];
    const space = c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
    if (!space && !inValue) count++;
    inValue = !space;
  }
  return count;
}
