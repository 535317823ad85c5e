/**
 * Derives independent 32-bit seeds from a tuple of integers (a murmur3-style mix), so that room r's
 * scene and pair p's cameras depend only on (seed, r, p) and not on the order or machine they are
 * generated on.
 */
export function deriveSeed(...parts: number[]): number {
  let h = 0x811c9dc5;
  for (const part of parts) {
    // Mix the low and high 32 bits of each part.
    for (const word of [part >>> 0, Math.floor(part / 0x100000000) >>> 0]) {
      let k = Math.imul(word, 0xcc9e2d51);
      k = (k << 15) | (k >>> 17);
      h ^= Math.imul(k, 0x1b873593);
      h = (h << 13) | (h >>> 19);
      h = (Math.imul(h, 5) + 0xe6546b64) | 0;
    }
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
