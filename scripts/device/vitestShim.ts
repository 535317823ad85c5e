// A stand-in for the part of vitest's API that the project's tests use (describe, it / test with
// .each / .skip / .skipIf, beforeAll / afterAll, and expect's common matchers), so that
// scripts/device/runTestFile.ts can run a test file where vitest is not installed: vitest with vite
// and rolldown adds about 40 MiB to the device bundle, the whole test runner for one file. An
// unsupported matcher fails loudly, naming itself.
import { isDeepStrictEqual, inspect } from 'node:util';

type Fn = () => unknown;

/** A test as collected: its full name (suites joined by ' > '), body, and whether it is skipped. */
export interface CollectedTest {
  kind: 'test';
  name: string;
  fn: Fn;
  skip: boolean;
}

/** A describe block as collected, with its hooks. */
export interface CollectedSuite {
  kind: 'suite';
  name: string;
  children: (CollectedSuite | CollectedTest)[];
  beforeAll: Fn[];
  afterAll: Fn[];
}

/** The root suite of the file being collected (module-scoped: one test file per process). */
export const rootSuite: CollectedSuite = {
  kind: 'suite',
  name: '',
  children: [],
  beforeAll: [],
  afterAll: [],
};
let current = rootSuite;

/** vitest's title formatting: printf-style %s %d %i %f %j %o %# %%, and $key.path for object rows. */
function formatTitle(template: string, row: unknown, index: number): string {
  const args = Array.isArray(row) ? [...row] : [row];
  let title = template.replace(/%[sdifjo#%]/g, (spec) => {
    if (spec === '%%') return '%';
    if (spec === '%#') return String(index);
    const value = args.shift();
    if (spec === '%d' || spec === '%i' || spec === '%f') return String(Number(value));
    if (spec === '%j') return JSON.stringify(value);
    return typeof value === 'string' ? value : inspect(value);
  });
  if (row !== null && typeof row === 'object' && !Array.isArray(row)) {
    title = title.replace(/\$([\w.]+)/g, (_, path: string) => {
      const value = path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)?.[k], row);
      return typeof value === 'string' ? `'${value}'` : inspect(value);
    });
  }
  return title;
}

const spread = (row: unknown): unknown[] => (Array.isArray(row) ? row : [row]);
const fullName = (name: string) => (current.name ? `${current.name} > ${name}` : name);

function addSuite(name: string, body: Fn): void {
  const suite: CollectedSuite = {
    kind: 'suite',
    name: fullName(name),
    children: [],
    beforeAll: [],
    afterAll: [],
  };
  current.children.push(suite);
  const parent = current;
  current = suite;
  try {
    body();
  } finally {
    current = parent;
  }
}

/** describe(name, body) and describe.each(table)(title, body). */
export const describe = Object.assign(addSuite, {
  each:
    (table: readonly unknown[]) =>
    (title: string, body: (...args: unknown[]) => void): void => {
      for (const [i, row] of table.entries())
        addSuite(formatTitle(title, row, i), () => body(...spread(row)));
    },
  skip: (name: string, _body: Fn): void => addSuite(name, () => {}),
});

type TestBody = (...args: unknown[]) => unknown;

/** it / test with .skip, .skipIf(cond) and .each(table), in any combination vitest allows here. */
function makeIt(skip: boolean) {
  const add = (name: string, fn: TestBody = () => {}) =>
    current.children.push({ kind: 'test', name: fullName(name), fn: fn as Fn, skip });
  return Object.assign(add, {
    each:
      (table: readonly unknown[]) =>
      (title: string, fn: TestBody): void => {
        for (const [i, row] of table.entries()) add(formatTitle(title, row, i), () => fn(...spread(row)));
      },
  });
}
const runIt = makeIt(false);
const skipIt = makeIt(true);
export const it = Object.assign(runIt, { skip: skipIt, skipIf: (cond: unknown) => (cond ? skipIt : runIt) });
export const test = it;

export function beforeAll(fn: Fn): void {
  current.beforeAll.push(fn);
}
export function afterAll(fn: Fn): void {
  current.afterAll.push(fn);
}

/** Thrown by a failed expectation. */
export class AssertionError extends Error {
  override name = 'AssertionError';
}

const show = (v: unknown) => inspect(v, { depth: 4, maxArrayLength: 10, breakLength: Infinity });

type Check = (actual: unknown, ...expected: unknown[]) => [boolean, string];
const num = (v: unknown) => v as number;
const MATCHERS: Record<string, Check> = {
  toBe: (a, e) => [Object.is(a, e), `to be ${show(e)}`],
  toEqual: (a, e) => [isDeepStrictEqual(a, e), `to equal ${show(e)}`],
  toStrictEqual: (a, e) => [isDeepStrictEqual(a, e), `to strictly equal ${show(e)}`],
  toBeGreaterThan: (a, e) => [num(a) > num(e), `to be greater than ${show(e)}`],
  toBeGreaterThanOrEqual: (a, e) => [num(a) >= num(e), `to be greater than or equal to ${show(e)}`],
  toBeLessThan: (a, e) => [num(a) < num(e), `to be less than ${show(e)}`],
  toBeLessThanOrEqual: (a, e) => [num(a) <= num(e), `to be less than or equal to ${show(e)}`],
  toBeCloseTo: (a, e, digits = 2) => [
    Math.abs(num(a) - num(e)) < 10 ** -num(digits) / 2,
    `to be close to ${show(e)} (${digits} digits)`,
  ],
  toBeTruthy: (a) => [Boolean(a), 'to be truthy'],
  toBeFalsy: (a) => [!a, 'to be falsy'],
  toBeDefined: (a) => [a !== undefined, 'to be defined'],
  toBeUndefined: (a) => [a === undefined, 'to be undefined'],
  toBeNull: (a) => [a === null, 'to be null'],
  toBeNaN: (a) => [Number.isNaN(a), 'to be NaN'],
  toBeInstanceOf: (a, e) => [a instanceof (e as new () => unknown), `to be an instance of ${show(e)}`],
  toContain: (a, e) => [(a as { includes(x: unknown): boolean }).includes(e), `to contain ${show(e)}`],
  toHaveLength: (a, e) => [(a as { length: number }).length === e, `to have length ${show(e)}`],
  toThrow: (a) => {
    try {
      (a as Fn)();
      return [false, 'to throw'];
    } catch {
      return [true, 'to throw'];
    }
  },
};

type Matchers = Record<string, (...expected: unknown[]) => void> & {
  not: Record<string, (...e: unknown[]) => void>;
};

/** expect(actual, message?).matcher(...) and .not.matcher(...); unknown matchers throw, naming themselves. */
export function expect(actual: unknown, message?: string): Matchers {
  const matchers = (negate: boolean) =>
    new Proxy({} as Record<string, (...e: unknown[]) => void>, {
      get: (_, key) => {
        if (key === 'not' && !negate) return matchers(true);
        const check = MATCHERS[String(key)];
        if (!check) {
          throw new AssertionError(
            `vitestShim: expect(...)${negate ? '.not' : ''}.${String(key)} is not implemented; add it to scripts/device/vitestShim.ts`,
          );
        }
        return (...expected: unknown[]) => {
          const [pass, what] = check(actual, ...expected);
          if (pass === negate) {
            const prefix = message ? `${message}: ` : '';
            throw new AssertionError(`${prefix}expected ${show(actual)} ${negate ? 'not ' : ''}${what}`);
          }
        };
      },
    });
  return matchers(false) as Matchers;
}
