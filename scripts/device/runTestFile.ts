// Runs one vitest test file without vitest: imports of 'vitest' resolve to scripts/device/vitestShim.ts,
// the file's tests run one after another (hooks in order, each test with a time limit), and the result
// goes to --json: each test's name, status (passed / failed / skipped), seconds, error, and what it
// logged. Exit status 1 when a test failed or the file did not load. For the device bundle
// (scripts/device/run.sh), which carries the test file but not vitest.
//   node --import tsx scripts/device/runTestFile.ts FILE [--json OUT] [--filter TEXT] [--timeout SECONDS]
import { writeFileSync } from 'node:fs';
import { register } from 'node:module';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { type CollectedSuite, type CollectedTest, rootSuite } from './vitestShim.ts';

const { values, positionals } = parseArgs({
  options: {
    json: { type: 'string' },
    filter: { type: 'string' },
    timeout: { type: 'string', default: '120' },
  },
  allowPositionals: true,
});
if (positionals.length !== 1) {
  console.error('runTestFile: expected one test file (got %d arguments)', positionals.length);
  process.exit(2);
}
const file = resolve(positionals[0]);
const timeoutMs = Number(values.timeout) * 1000;

// A module resolution hook (run on Node's loader thread), registered after tsx's and so asked first.
const hooks = `
let shim;
export function initialize(data) { shim = data.shim; }
export async function resolve(specifier, context, next) {
  return specifier === 'vitest' ? { url: shim, shortCircuit: true } : next(specifier, context);
}`;
register(`data:text/javascript,${encodeURIComponent(hooks)}`, {
  data: { shim: new URL('./vitestShim.ts', import.meta.url).href },
});

interface TestResult {
  name: string;
  status: 'passed' | 'failed' | 'skipped';
  seconds: number;
  error?: string;
  log: string[];
}

/** Everything console.log / warn / error print goes to the terminal and to `sink`. */
let sink: string[] = [];
for (const method of ['log', 'warn', 'error', 'info'] as const) {
  const original = console[method].bind(console);
  console[method] = (...args: unknown[]) => {
    sink.push(args.map((a) => (typeof a === 'string' ? a : String(a))).join(' '));
    original(...args);
  };
}
const fileLog = sink;

const message = (e: unknown) => (e instanceof Error ? (e.stack ?? e.message) : String(e));
const withTimeout = (p: unknown, what: string) =>
  Promise.race([
    Promise.resolve(p),
    new Promise((_, reject) =>
      setTimeout(
        () => reject(new Error(`${what}: timed out after ${timeoutMs / 1000} s`)),
        timeoutMs,
      ).unref(),
    ),
  ]);

const results: TestResult[] = [];
/** The runner's own lines: to the terminal only, not into any test's log. */
const say = (line: string) => process.stdout.write(`${line}\n`);

async function runTest(t: CollectedTest): Promise<void> {
  if (values.filter && !t.name.includes(values.filter)) return;
  if (t.skip) {
    results.push({ name: t.name, status: 'skipped', seconds: 0, log: [] });
    say(`- ${t.name} (skipped)`);
    return;
  }
  sink = [];
  const t0 = performance.now();
  let error: string | undefined;
  try {
    await withTimeout(t.fn(), t.name);
  } catch (e) {
    error = message(e);
  }
  const seconds = Number(((performance.now() - t0) / 1000).toFixed(2));
  results.push({ name: t.name, status: error ? 'failed' : 'passed', seconds, error, log: sink });
  sink = fileLog;
  say(`${error ? 'FAIL' : 'ok  '} ${t.name} (${seconds} s)${error ? `\n${error}` : ''}`);
}

/** Runs a suite's tests and sub-suites; a failing beforeAll fails every test under it. */
async function runSuite(suite: CollectedSuite): Promise<void> {
  try {
    for (const hook of suite.beforeAll) await withTimeout(hook(), `${suite.name} beforeAll`);
  } catch (e) {
    const error = message(e);
    const fail = (s: CollectedSuite): void => {
      for (const c of s.children) {
        if (c.kind === 'suite') fail(c);
        else results.push({ name: c.name, status: 'failed', seconds: 0, error, log: [] });
      }
    };
    fail(suite);
    return;
  }
  for (const child of suite.children) {
    if (child.kind === 'suite') await runSuite(child);
    else await runTest(child);
  }
  for (const hook of suite.afterAll) {
    try {
      await withTimeout(hook(), `${suite.name} afterAll`);
    } catch (e) {
      results.push({
        name: `${suite.name} afterAll`,
        status: 'failed',
        seconds: 0,
        error: message(e),
        log: [],
      });
    }
  }
}

const t0 = performance.now();
let loadError: string | undefined;
try {
  await import(pathToFileURL(file).href);
  await runSuite(rootSuite);
} catch (e) {
  loadError = message(e);
  console.error(`runTestFile: ${file} did not load: ${loadError}`);
}
const count = (status: TestResult['status']) => results.filter((r) => r.status === status).length;
const report = {
  file,
  filter: values.filter ?? null,
  seconds: Number(((performance.now() - t0) / 1000).toFixed(1)),
  passed: count('passed'),
  failed: count('failed'),
  skipped: count('skipped'),
  loadError: loadError ?? null,
  // What the file printed while loading and outside tests (e.g. which backend it probed).
  log: fileLog,
  tests: results,
};
if (values.json) writeFileSync(values.json, `${JSON.stringify(report, null, 2)}\n`);
say(
  `runTestFile: ${report.passed} passed, ${report.failed} failed, ${report.skipped} skipped in ${report.seconds} s`,
);
// Native backends (Dawn) keep handles open; the verdict is in.
process.exit(loadError || report.failed > 0 ? 1 : 0);
