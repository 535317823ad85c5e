import { CorrespondenceStatus } from '@oxels/core';
import { DatasetError } from './errors.ts';
import { decodeNpy, type NpyArray } from './npy.ts';
import { type NpyLayout, SAMPLE_ARRAYS, SAMPLE_FILES } from './schema.ts';

/** The .npy files of one sample, as read from its shard (depth only where the sample has it). */
export interface SampleArrayBytes {
  aIndex: Uint8Array;
  bXY: Uint8Array;
  status: Uint8Array;
  depthA?: Uint8Array;
  depthB?: Uint8Array;
}

/** The decoded arrays, each checked against SAMPLE_ARRAYS and the others. */
export interface SampleArrays {
  aIndex: Int32Array;
  bXY: Float32Array;
  status: Uint8Array;
  depthA?: Float32Array;
  depthB?: Float32Array;
}

const STATUS_CODES = new Set<number>(Object.values(CorrespondenceStatus));

/**
 * Decodes a sample's .npy files and checks what the trainer and evaluation rely on without looking:
 * each file's dtype and shape (SAMPLE_ARRAYS; K from a_index, H x W from `view`), every a_index in
 * [0, W*H), every status a known code, and every MATCH's b_xy a finite position in view B (closed
 * bounds: float32 rounding can carry W - 1e-6 to W). Non-matches are NaN by convention and not read.
 * Throws DatasetError('SHARD_READ') naming `where` (the shard), the file and expected vs found.
 */
export function decodeSampleArrays(
  key: string,
  bytes: SampleArrayBytes,
  view: { width: number; height: number },
  where: string,
): SampleArrays {
  const fail = (suffix: string, what: string) =>
    new DatasetError('SHARD_READ', `decodeSample: ${where}: ${key}.${suffix}: ${what}`, where);
  const { width: W, height: H } = view;
  const decode = (field: keyof typeof SAMPLE_ARRAYS, data: Uint8Array, K?: number): NpyArray => {
    const suffix = SAMPLE_FILES[field];
    const layout: NpyLayout = SAMPLE_ARRAYS[field];
    const npy = decodeNpy(data, `${where}:${key}.${suffix}`);
    if (npy.dtype !== layout.dtype) throw fail(suffix, `dtype ${npy.dtype}, expected ${layout.dtype}`);
    const sizes: Record<string, number | undefined> = { K, H, W };
    const expected = layout.shape.map((d) => (typeof d === 'number' ? d : sizes[d]));
    const fits =
      npy.shape.length === expected.length && expected.every((n, i) => n === undefined || n === npy.shape[i]);
    if (!fits) {
      const named = layout.shape.map((d, i) => (typeof d === 'number' ? d : `${d}=${expected[i] ?? '?'}`));
      throw fail(suffix, `shape [${npy.shape.join(', ')}], expected [${named.join(', ')}]`);
    }
    return npy.data;
  };
  const aIndex = decode('aIndex', bytes.aIndex) as Int32Array;
  const K = aIndex.length;
  const bXY = decode('bXY', bytes.bXY, K) as Float32Array;
  const status = decode('status', bytes.status, K) as Uint8Array;
  for (let k = 0; k < K; k++) {
    const p = aIndex[k];
    if (!(p >= 0 && p < W * H)) {
      throw fail(SAMPLE_FILES.aIndex, `a_index[${k}] = ${p} is outside [0, ${W * H}) (a ${W}x${H} view)`);
    }
    if (!STATUS_CODES.has(status[k])) {
      throw fail(
        SAMPLE_FILES.status,
        `status[${k}] = ${status[k]} is not a status code (0 MATCH, 1 OCCLUDED, 2 OUT_OF_VIEW, 3 MISS)`,
      );
    }
    const [u, v] = [bXY[2 * k], bXY[2 * k + 1]];
    if (status[k] === CorrespondenceStatus.MATCH && !(u >= 0 && u <= W && v >= 0 && v <= H)) {
      throw fail(SAMPLE_FILES.bXY, `b_xy[${k}] = (${u}, ${v}) of a MATCH is not in the ${W}x${H} view B`);
    }
  }
  const arrays: SampleArrays = { aIndex, bXY, status };
  if (bytes.depthA) arrays.depthA = decode('depthA', bytes.depthA) as Float32Array;
  if (bytes.depthB) arrays.depthB = decode('depthB', bytes.depthB) as Float32Array;
  return arrays;
}
