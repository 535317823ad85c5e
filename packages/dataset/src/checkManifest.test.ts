import { describe, expect, it } from 'vitest';
import { DatasetError } from './errors.ts';
import { checkManifest } from './checkManifest.ts';
import { buildManifest } from './manifest.ts';

/** A manifest as gen-scenes writes it, of a dataset with no shard written yet. */
const manifest = () =>
  JSON.parse(
    JSON.stringify(
      buildManifest({ name: 'gen-scenes', version: '0' }, { seed: 1, depth: false, instances: false }, 1, []),
    ),
  );

describe('checkManifest', () => {
  it('accepts what buildManifest writes', () => {
    expect(checkManifest(manifest(), 'm.json').shardCount).toBe(1);
  });

  // Found by test/faults/fuzzReaders (manifest case 1080, seed 28: ".shardCount = 1000000000000"):
  // validateDataset looked for every shard the count implies, and ran out of memory at 1e8.
  it('refuses a shardCount beyond the six-digit shard names', () => {
    const m = { ...manifest(), shardCount: 1e12 };
    expect(() => checkManifest(m, 'm.json')).toThrow(DatasetError);
    expect(() => checkManifest(m, 'm.json')).toThrow(
      'readManifest: m.json: shardCount must be an integer in [0, 1000000] (shard names have six digits) (got 1000000000000)',
    );
    expect(checkManifest({ ...m, shardCount: 1_000_000 }, 'm.json').shardCount).toBe(1_000_000);
  });
});
