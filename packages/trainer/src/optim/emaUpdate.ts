import * as tf from '@tensorflow/tfjs-core';
import { assert } from '../errors.ts';

/**
 * Exponential moving average of weights, in place: for every name, target = m * target + (1 - m) *
 * source. This is the momentum encoder of VADeR / MoCo (m = 0.999) and the EMA teacher of CLoVE / BYOL.
 * Both maps must hold the same names with the same shapes (e.g. two `UNet.parameters` of one config).
 * Creates no lasting tensors.
 *
 * @param target the averaged weights (mutated)
 * @param source the weights being tracked (read only)
 * @param momentum m in [0, 1]: 1 keeps the target, 0 copies the source
 */
export function emaUpdate(
  target: ReadonlyMap<string, tf.Variable>,
  source: ReadonlyMap<string, tf.Variable>,
  momentum: number,
): void {
  assert(
    momentum >= 0 && momentum <= 1,
    'BAD_ARGUMENT',
    () => `emaUpdate: momentum must be in [0, 1] (got ${momentum})`,
  );
  assert(
    target.size === source.size,
    'BAD_ARGUMENT',
    () => `emaUpdate: target has ${target.size} weights, source ${source.size}`,
  );
  tf.tidy(() => {
    for (const [name, t] of target) {
      const s = source.get(name);
      assert(
        s !== undefined && s.size === t.size,
        'BAD_ARGUMENT',
        () => `emaUpdate: source weight ${name} is missing or of another size (expected ${t.size} values)`,
      );
      t.assign(tf.add(tf.mul(t, momentum), tf.mul(s, 1 - momentum)));
    }
  });
}
