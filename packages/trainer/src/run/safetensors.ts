import { TrainerError } from '../errors.ts';
import type { WeightArray } from '../model/UNet.ts';

/**
 * Encodes float32 tensors as a safetensors file (https://github.com/huggingface/safetensors: an 8-byte
 * little-endian header length, a JSON header of dtype / shape / data_offsets per tensor, then the raw
 * little-endian data), which `safetensors.torch.load_file` reads directly. Tensors are written in the
 * map's order; `metadata` values must be strings.
 */
export function encodeSafetensors(
  tensors: ReadonlyMap<string, WeightArray>,
  metadata: Record<string, string> = {},
): Uint8Array {
  const header: Record<string, unknown> = { __metadata__: metadata };
  let offset = 0;
  for (const [name, t] of tensors) {
    header[name] = { dtype: 'F32', shape: t.shape, data_offsets: [offset, offset + t.data.byteLength] };
    offset += t.data.byteLength;
  }
  let json = JSON.stringify(header);
  // Pad the header with spaces so the data starts 8-byte aligned (as the reference writer does).
  json += ' '.repeat((8 - ((8 + json.length) % 8)) % 8);
  const headerBytes = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + headerBytes.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let at = 8 + headerBytes.length;
  for (const t of tensors.values()) {
    out.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), at);
    at += t.data.byteLength;
  }
  return out;
}

/** Decodes a float32 safetensors file; `path` names it in errors (truncated, other dtypes, bad header). */
export function decodeSafetensors(
  bytes: Uint8Array,
  path: string,
): { tensors: Map<string, WeightArray>; metadata: Record<string, string> } {
  const fail = (what: string) => new TrainerError('BAD_DATA', `decodeSafetensors: ${path}: ${what}`, path);
  if (bytes.length < 8) throw fail('shorter than its 8-byte header length');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = Number(view.getBigUint64(0, true));
  if (8 + n > bytes.length)
    throw fail(`header of ${n} bytes runs past the end of the file (${bytes.length} bytes): truncated?`);
  let header: Record<
    string,
    { dtype: string; shape: number[]; data_offsets: [number, number] } | Record<string, string>
  >;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
  } catch (err) {
    throw fail(`header is not JSON (${(err as Error).message})`);
  }
  const tensors = new Map<string, WeightArray>();
  const base = 8 + n;
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const {
      dtype,
      shape,
      data_offsets: [start, end],
    } = entry as { dtype: string; shape: number[]; data_offsets: [number, number] };
    if (dtype !== 'F32') throw fail(`tensor ${name} has dtype ${dtype} (expected F32)`);
    const count = shape.reduce((a, b) => a * b, 1);
    if (end - start !== 4 * count) throw fail(`tensor ${name}: ${end - start} bytes for shape [${shape}]`);
    if (base + end > bytes.length) throw fail(`tensor ${name} runs past the end of the file: truncated?`);
    // A copy into a fresh buffer (aligned; and Buffer.slice would be a view into the whole file).
    const data = new Float32Array(new Uint8Array(bytes.subarray(base + start, base + end)).buffer);
    tensors.set(name, { shape, data });
  }
  return { tensors, metadata: (header.__metadata__ as Record<string, string>) ?? {} };
}
