import type { Rng } from '@oxels/core';
import type { ParameterSpec } from './unetParameters.ts';

/**
 * Initial values of one parameter, drawn on the CPU from a seeded generator so that a seed gives
 * the same weights on every backend and machine (tfjs's own seeded ops differ between backends).
 * @returns a new Float32Array of the parameter's size
 */
export function initialValues(spec: ParameterSpec, rng: Rng): Float32Array {
  const size = spec.shape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(size);
  switch (spec.init) {
    case 'ones':
      out.fill(1);
      break;
    case 'zeros':
      break;
    case 'heNormal': {
      const std = Math.sqrt(2 / spec.fanIn);
      for (let i = 0; i < size; i++) out[i] = std * rng.normal();
      break;
    }
  }
  return out;
}
