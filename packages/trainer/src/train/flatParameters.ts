import * as tf from '@tensorflow/tfjs-core';

/** All values of `params` in one array, variable after variable in map order. */
export function flattenParameters(params: ReadonlyMap<string, tf.Variable>): Float32Array {
  let size = 0;
  for (const v of params.values()) size += v.size;
  const flat = new Float32Array(size);
  let offset = 0;
  for (const v of params.values()) {
    flat.set(v.dataSync() as Float32Array, offset);
    offset += v.size;
  }
  return flat;
}

/** Overwrites every variable of `params` from `flat` (the layout of `flattenParameters`). */
export function assignFlatParameters(params: ReadonlyMap<string, tf.Variable>, flat: Float32Array): void {
  let offset = 0;
  for (const v of params.values()) {
    const values = flat.subarray(offset, offset + v.size);
    tf.tidy(() => v.assign(tf.tensor(values, v.shape)));
    offset += v.size;
  }
}

/** `flat` (the layout of `flattenParameters`) as one tensor per variable, by name; the caller disposes them. */
export function unflattenLike(
  params: ReadonlyMap<string, tf.Variable>,
  flat: Float32Array,
): Map<string, tf.Tensor> {
  const out = new Map<string, tf.Tensor>();
  let offset = 0;
  for (const [name, v] of params) {
    out.set(name, tf.tensor(flat.subarray(offset, offset + v.size), v.shape));
    offset += v.size;
  }
  return out;
}
