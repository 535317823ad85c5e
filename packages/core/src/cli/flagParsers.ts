import { InvalidArgumentError } from 'commander';

/** A commander parser for an integer flag of at least `min`, naming the flag when the value is bad. */
export function intFlag(name: string, min = Number.MIN_SAFE_INTEGER): (value: string) => number {
  const what =
    min === 0
      ? 'a non-negative integer'
      : min === 1
        ? 'a positive integer'
        : min > Number.MIN_SAFE_INTEGER
          ? `an integer >= ${min}`
          : 'an integer';
  return (value) => {
    const n = Number(value);
    if (!Number.isSafeInteger(n) || n < min)
      throw new InvalidArgumentError(`${name} must be ${what} (got "${value}")`);
    return n;
  };
}

/** A commander parser for a count: a positive integer, or "all", which parses to `all`. */
export function countFlag<T>(name: string, all: T): (value: string) => number | T {
  return (value) => {
    if (value === 'all') return all;
    const n = Number(value);
    if (!Number.isSafeInteger(n) || n < 1)
      throw new InvalidArgumentError(`${name} must be a positive integer or "all" (got "${value}")`);
    return n;
  };
}

/** A commander parser for a finite number flag. */
export function numberFlag(name: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n))
      throw new InvalidArgumentError(`${name} must be a number (got "${value}")`);
    return n;
  };
}

/** Largest image side: WebGPU's default maxTextureDimension2D, which the renderer's targets obey. */
export const MAX_IMAGE_SIDE = 8192;

/** A commander parser for an image size WxH (e.g. 256x256, 640x480), each side 1 to MAX_IMAGE_SIDE. */
export function sizeFlag(value: string): [number, number] {
  const m = /^(\d+)x(\d+)$/.exec(value);
  if (!m) throw new InvalidArgumentError(`expected WxH, e.g. 256x256 or 640x480 (got "${value}")`);
  const size: [number, number] = [Number(m[1]), Number(m[2])];
  if (size.some((side) => side < 1 || side > MAX_IMAGE_SIDE)) {
    throw new InvalidArgumentError(
      `each side must be 1 to ${MAX_IMAGE_SIDE} px, the renderer's texture limit (got "${value}")`,
    );
  }
  return size;
}

/** A commander parser for a pair of numbers MIN,MAX with MIN <= MAX (e.g. 3,16). */
export function rangeFlag(name: string): (value: string) => [number, number] {
  return (value) => {
    const parts = value.split(',').map((p) => (p.trim() === '' ? Number.NaN : Number(p)));
    if (parts.length !== 2 || !parts.every(Number.isFinite) || parts[0] > parts[1])
      throw new InvalidArgumentError(`${name} must be MIN,MAX with MIN <= MAX (got "${value}")`);
    return [parts[0], parts[1]];
  };
}
