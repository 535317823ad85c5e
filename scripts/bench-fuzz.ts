// Fuzzing of gen-scenes' readers at scale (#28): the cases of test/faults/fuzzReaders.test.ts times
// --scale, with another --seed if asked. Prints one JSON object: cases, outcomes and reading time per
// parser, the wall time, and every failure (parser, case index, mutations, what went wrong).
//   npx tsx scripts/bench-fuzz.ts [--scale N] [--seed N]
import { scriptArgs } from './scriptArgs.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_FUZZ_OPTIONS, fuzzReaders } from '../test/faults/fuzzReaders.ts';

const values = scriptArgs(import.meta.filename, {
  scale: { type: 'string', default: '10' },
  seed: { type: 'string', default: String(DEFAULT_FUZZ_OPTIONS.seed) },
});

const work = mkdtempSync(join(tmpdir(), 'bench-fuzz-'));
try {
  const report = await fuzzReaders(work, { scale: Number(values.scale), seed: Number(values.seed) });
  const cases = report.summaries.reduce((n, s) => n + s.cases, 0);
  console.log(
    JSON.stringify({ scale: Number(values.scale), seed: Number(values.seed), cases, ...report }, null, 2),
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
