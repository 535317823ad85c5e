import * as tf from '@tensorflow/tfjs-core';

/** The values of `tensors` (float32) in one array, one after the other. */
export function flattenTensors(tensors: readonly tf.Tensor[]): Float32Array {
  const flat = new Float32Array(tensors.reduce((n, t) => n + t.size, 0));
  let offset = 0;
  for (const t of tensors) {
    flat.set(t.dataSync() as Float32Array, offset);
    offset += t.size;
  }
  return flat;
}

/** All values of `params` in one array, variable after variable in map order. */
export function flattenParameters(params: ReadonlyMap<string, tf.Variable>): Float32Array {
  return flattenTensors([...params.values()]);
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
