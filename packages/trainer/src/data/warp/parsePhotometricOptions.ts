import { assert } from '../../errors.ts';
import { NO_PHOTOMETRIC_JITTER, type PhotometricOptions } from './photometricJitter.ts';

const KEYS = Object.keys(NO_PHOTOMETRIC_JITTER) as (keyof PhotometricOptions)[];
/** Upper bounds of the bounded components: hue in turns, channelShuffle a probability. */
const MAX: Partial<Record<keyof PhotometricOptions, number>> = { hue: 0.5, channelShuffle: 1 };

/**
 * Checks that every component of a jitter is a finite number in its range (all >= 0, hue <= 0.5 turns, channelShuffle <= 1).
 * @param what names the caller in the message, e.g. `train --jitter`
 * @throws TrainerError('BAD_ARGUMENT') naming the component
 */
export function validatePhotometricOptions(options: PhotometricOptions, what: string): void {
  for (const key of KEYS) {
    const v = options[key];
    const max = MAX[key] ?? Number.POSITIVE_INFINITY;
    assert(
      typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= max,
      'BAD_ARGUMENT',
      () =>
        `${what}: ${key} must be a number in [0, ${max === Number.POSITIVE_INFINITY ? 'inf)' : `${max}]`} (got ${JSON.stringify(v)})`,
    );
  }
}

/**
 * Parses a jitter given as `key=value` pairs separated by commas (e.g. `hue=0.5,saturation=1`) over
 * `base`: the keys are those of `PhotometricOptions`, the ones not named keep `base`'s value; `none`
 * switches every component off. Rejects unknown keys, repeated keys and values out of range.
 * @param text the flag's value
 * @param base the jitter the pairs override
 * @param what names the flag in error messages, e.g. `train --jitter`
 * @returns a complete jitter (a new object)
 * @throws TrainerError('BAD_ARGUMENT') naming the flag and the offending pair
 */
export function parsePhotometricOptions(
  text: string,
  base: PhotometricOptions,
  what: string,
): PhotometricOptions {
  if (text.trim() === 'none') return { ...NO_PHOTOMETRIC_JITTER };
  const out = { ...base };
  const seen = new Set<string>();
  for (const pair of text.split(',')) {
    const [key, value, ...rest] = pair.split('=').map((s) => s.trim());
    assert(
      key !== '' && value !== undefined && value !== '' && rest.length === 0,
      'BAD_ARGUMENT',
      () => `${what}: expected key=value pairs separated by commas, or none (got "${pair}" in "${text}")`,
    );
    assert(
      (KEYS as string[]).includes(key),
      'BAD_ARGUMENT',
      () => `${what}: unknown key "${key}" (expected one of ${KEYS.join(', ')})`,
    );
    assert(!seen.has(key), 'BAD_ARGUMENT', () => `${what}: ${key} is given twice (in "${text}")`);
    seen.add(key);
    assert(
      Number.isFinite(Number(value)),
      'BAD_ARGUMENT',
      () => `${what}: ${key} must be a number (got "${value}")`,
    );
    out[key as keyof PhotometricOptions] = Number(value);
  }
  validatePhotometricOptions(out, what);
  return out;
}
