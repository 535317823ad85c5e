/**
 * A seeded pseudo-random generator (sfc32, seeded through splitmix32). Every random choice in oxels
 * goes through one of these, so that the same seed gives the same bytes on every machine.
 */
export interface Rng {
  /** Uniform float in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Uniform float in [lo, hi). */
  uniform(lo: number, hi: number): number;
  /** Standard normal (Box-Muller). */
  normal(): number;
  /** The raw 32-bit state, to fork independent streams: `createRng(rng.fork())`. */
  fork(): number;
}

/** Creates a generator from an integer seed; any 53-bit integer is accepted. */
export function createRng(seed: number): Rng {
  let s = (seed >>> 0) ^ Math.floor(seed / 0x100000000);
  const splitmix = (): number => {
    s = (s + 0x9e3779b9) | 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = splitmix();
  let b = splitmix();
  let c = splitmix();
  let d = splitmix();
  const u32 = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  const next = (): number => u32() / 0x100000000;
  return {
    next,
    int: (n) => Math.floor(next() * n),
    uniform: (lo, hi) => lo + (hi - lo) * next(),
    normal: () => {
      const u = 1 - next();
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
    },
    fork: u32,
  };
}

/**
 * `count` distinct integers from [0, n), chosen uniformly (partial Fisher-Yates), sorted ascending.
 * Sorted so that neighbouring rays are cast one after the other (coherent BVH traversal).
 */
export function sampleWithoutReplacement(n: number, count: number, rng: Rng): Int32Array {
  const pool = new Int32Array(n);
  for (let i = 0; i < n; i++) pool[i] = i;
  for (let i = 0; i < count; i++) {
    const j = i + rng.int(n - i);
    const t = pool[i];
    pool[i] = pool[j];
    pool[j] = t;
  }
  return pool.slice(0, count).sort();
}
