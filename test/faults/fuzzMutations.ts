// Seeded mutations of real files for the reader fuzz test: byte-level (any format) and token-level
// (text formats: PLY headers, OBJ, MTL, JSON). Each returns the mutated input and what it did, in
// words, so a failing case can be rebuilt by hand.
import type { Rng } from '@oxels/core';

/** A mutated input and the operations that made it, e.g. `flip bit 3 of byte 17`. */
export interface Mutated<T> {
  value: T;
  ops: string[];
}

/** Bytes worth writing over others: 0, 0xff, 0x7f, '9', '-', 'n', '.'. */
const INTERESTING_BYTES = [0x00, 0xff, 0x7f, 0x39, 0x2d, 0x6e, 0x2e];

/** 32-bit values worth writing over a size or count field: zero, sign and byte boundaries, huge. */
const INTERESTING_U32 = [
  0, 1, 0xff, 0xffff, 0x10000, 0xffffff, 0x1000000, 0x7fffffff, 0x80000000, 0xffffffff,
];

/** Numbers worth writing over others in a text format: non-finite, negative, huge, tiny, odd syntax. */
const INTERESTING_NUMBERS = [
  'NaN',
  'nan',
  'inf',
  '-inf',
  'Infinity',
  '-1',
  '0',
  '1e308',
  '-1e308',
  '1e12',
  '4294967296',
  '2147483648',
  '9007199254740991',
  '99999999999999999999',
  '1e-320',
  '0x10',
  '1.5',
  '',
];

/** Values worth putting in a JSON field. */
const INTERESTING_JSON: unknown[] = [
  null,
  -1,
  0,
  0.5,
  1e308,
  2 ** 53,
  Number.MAX_SAFE_INTEGER,
  1e12,
  '',
  'x',
  true,
  [],
  {},
  [-1],
];

/** A uniformly chosen item of `list`. */
export const pick = <T>(rng: Rng, list: readonly T[]): T => list[rng.int(list.length)];

/** An offset into `length` bytes; half the time in the first 256, where the headers are. */
function offsetIn(rng: Rng, length: number): number {
  return rng.int(rng.next() < 0.5 ? Math.min(length, 256) : length);
}

const concat = (...parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

/**
 * 1 to 3 byte-level mutations of `input` (not modified): bit flips, overwrites with an interesting
 * byte or 32-bit value (either byte order: binary headers hold sizes and counts so), truncation,
 * insertion or deletion of a run of bytes, a chunk duplicated elsewhere.
 */
export function mutateBytes(rng: Rng, input: Uint8Array): Mutated<Uint8Array> {
  // A copy: a Node Buffer's slice() is a view, and the seeds are read again by the next case.
  let bytes: Uint8Array = new Uint8Array(input);
  const ops: string[] = [];
  for (let n = 1 + rng.int(3); n > 0 && bytes.length > 0; n--) {
    const at = offsetIn(rng, bytes.length);
    const run = 1 + rng.int(rng.next() < 0.8 ? 8 : 512);
    switch (rng.int(7)) {
      case 0: {
        const bit = rng.int(8);
        bytes[at] ^= 1 << bit;
        ops.push(`flip bit ${bit} of byte ${at}`);
        break;
      }
      case 1: {
        const value = pick(rng, INTERESTING_BYTES);
        const end = Math.min(bytes.length, at + 1 + rng.int(4));
        bytes.fill(value, at, end);
        ops.push(`set bytes [${at}, ${end}) to 0x${value.toString(16)}`);
        break;
      }
      case 2:
        bytes = bytes.slice(0, at);
        ops.push(`truncate at byte ${at}`);
        break;
      case 3: {
        const value = rng.next() < 0.5 ? pick(rng, INTERESTING_BYTES) : -1;
        const inserted = Uint8Array.from({ length: run }, () => (value >= 0 ? value : rng.int(256)));
        bytes = concat(bytes.subarray(0, at), inserted, bytes.subarray(at));
        ops.push(`insert ${run} bytes ${value >= 0 ? `0x${value.toString(16)}` : '(random)'} at ${at}`);
        break;
      }
      case 4:
        bytes = concat(bytes.subarray(0, at), bytes.subarray(at + run));
        ops.push(`delete bytes [${at}, ${at + run})`);
        break;
      case 5: {
        const value = pick(rng, INTERESTING_U32);
        const littleEndian = rng.next() < 0.5;
        if (at + 4 > bytes.length) continue;
        new DataView(bytes.buffer, bytes.byteOffset).setUint32(at, value, littleEndian);
        ops.push(`set u32 at ${at} to 0x${value.toString(16)} (${littleEndian ? 'LE' : 'BE'})`);
        break;
      }
      default: {
        const from = rng.int(bytes.length);
        const chunk = bytes.slice(from, from + run);
        bytes = concat(bytes.subarray(0, at), chunk, bytes.subarray(at));
        ops.push(`copy bytes [${from}, ${from + chunk.length}) to ${at}`);
      }
    }
  }
  return { value: bytes, ops };
}

const NUMBER = /-?\d+(\.\d+)?(e[-+]?\d+)?/gi;

/**
 * 1 to 3 token-level mutations of a text file: a number replaced by an interesting one, a line
 * deleted, duplicated, moved or cut short, a word replaced by another word of the file. `header`
 * lines (e.g. a PLY header's) are picked half the time, as the parsers read most from there.
 */
export function mutateText(rng: Rng, text: string, header = 0): Mutated<string> {
  const lines = text.split('\n');
  const ops: string[] = [];
  const pickLine = () =>
    header > 0 && rng.next() < 0.5 ? rng.int(Math.min(header, lines.length)) : rng.int(lines.length);
  for (let n = 1 + rng.int(3); n > 0 && lines.length > 0; n--) {
    const i = pickLine();
    const line = lines[i];
    const op = rng.int(6);
    if (op <= 1) {
      const numbers = [...line.matchAll(NUMBER)];
      if (numbers.length === 0) continue;
      const m = numbers[rng.int(numbers.length)];
      const value = pick(rng, INTERESTING_NUMBERS);
      lines[i] = line.slice(0, m.index) + value + line.slice(m.index + m[0].length);
      ops.push(`line ${i + 1}: ${m[0]} -> ${JSON.stringify(value)}`);
    } else if (op === 2) {
      lines.splice(i, 1);
      ops.push(`delete line ${i + 1}`);
    } else if (op === 3) {
      const to = pickLine();
      lines.splice(to, 0, line);
      ops.push(`copy line ${i + 1} before line ${to + 1}`);
    } else if (op === 4) {
      const cut = rng.int(line.length + 1);
      lines[i] = line.slice(0, cut);
      ops.push(`cut line ${i + 1} after ${cut} characters`);
    } else {
      const words = line.split(' ');
      const other = lines[pickLine()].split(' ');
      const k = rng.int(words.length);
      words[k] = other[rng.int(other.length)];
      lines[i] = words.join(' ');
      ops.push(`line ${i + 1}: word ${k + 1} -> ${JSON.stringify(words[k])}`);
    }
  }
  return { value: lines.join('\n'), ops };
}

/**
 * 1 to 3 mutations of a parsed JSON value (not modified): a field deleted, or set to an interesting
 * value (null, -1, 1e308, 2^53, '', [], {}...), or an array emptied or its first item repeated.
 */
export function mutateJson(rng: Rng, value: unknown): Mutated<unknown> {
  const root = structuredClone(value);
  const ops: string[] = [];
  for (let n = 1 + rng.int(3); n > 0; n--) {
    const slots: [Record<string, unknown> | unknown[], string | number, string][] = [];
    const walk = (node: unknown, at: string) => {
      if (typeof node !== 'object' || node === null) return;
      for (const [k, v] of Object.entries(node)) {
        const key = Array.isArray(node) ? Number(k) : k;
        slots.push([
          node as Record<string, unknown>,
          key,
          `${at}${Array.isArray(node) ? `[${k}]` : `.${k}`}`,
        ]);
        walk(v, slots.at(-1)![2]);
      }
    };
    walk(root, '');
    if (slots.length === 0) break;
    // Half the time a number: the counts and sizes readers act on.
    const numbers = slots.filter(
      ([owner, key]) => typeof (owner as Record<string, unknown>)[key] === 'number',
    );
    const [owner, key, at] = pick(rng, numbers.length > 0 && rng.next() < 0.5 ? numbers : slots);
    const o = owner as Record<string | number, unknown>;
    const op = rng.int(4);
    if (op === 0 && !Array.isArray(owner)) {
      delete o[key];
      ops.push(`delete ${at}`);
    } else if (op === 1 && Array.isArray(o[key])) {
      const list = o[key] as unknown[];
      if (list.length > 0 && rng.next() < 0.5) list.push(structuredClone(list[0]));
      else list.length = 0;
      ops.push(`${at}: ${list.length} items`);
    } else {
      o[key] = structuredClone(pick(rng, INTERESTING_JSON));
      ops.push(`${at} = ${JSON.stringify(o[key])}`);
    }
  }
  return { value: root, ops };
}
