// Fuzz test of the readers (#28): about 1,450 seeded mutations of real files (a gen-scenes shard and its
// entries, .npy, PNG, JPEG, PLY, OBJ, MTL, manifest.json); each must read or throw an OxelsError
// naming the file, within 2 s. Prints one summary line per parser. Bugs it found have regression tests
// beside their parsers.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_FUZZ_OPTIONS, fuzzReaders } from './fuzzReaders.ts';

const tmp = mkdtempSync(join(tmpdir(), 'oxels-fuzz-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('reader fuzzing', () => {
  it(`every mutated file reads or fails with a typed error naming it (seed ${DEFAULT_FUZZ_OPTIONS.seed})`, async () => {
    const report = await fuzzReaders(tmp);
    for (const s of report.summaries) console.log(`fuzz ${JSON.stringify(s)}`);
    const cases = report.summaries.reduce((n, s) => n + s.cases, 0);
    console.log(`fuzz ${JSON.stringify({ cases, failures: report.failures.length, ms: report.ms })}`);
    expect(report.failures).toEqual([]);
    expect(cases).toBeGreaterThanOrEqual(1000);
    for (const s of report.summaries) expect(s.ok + s.typedErrors).toBe(s.cases);
  }, 120_000);
});
