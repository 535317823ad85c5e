import { DatasetError } from './errors.ts';
import type { DatasetManifest, StatusCounts } from './DatasetManifest.ts';
import { MAX_SHARDS } from './schema.ts';

/** What a field's value must be, as a test and the words an error says it with. */
interface Rule {
  test: (value: unknown) => boolean;
  must: string;
}

const OBJECT: Rule = {
  test: (v) => typeof v === 'object' && v !== null && !Array.isArray(v),
  must: 'an object',
};
const ARRAY: Rule = { test: Array.isArray, must: 'an array' };
const STRING: Rule = { test: (v) => typeof v === 'string', must: 'a string' };
const BOOLEAN: Rule = { test: (v) => typeof v === 'boolean', must: 'true or false' };
const COUNT: Rule = {
  test: (v) => Number.isSafeInteger(v) && (v as number) >= 0,
  must: 'an integer >= 0',
};
// validateDataset looks for every shard shardCount implies: a damaged count (1e12) must not send it
// looking for a trillion files.
const SHARD_COUNT: Rule = {
  test: (v) => COUNT.test(v) && (v as number) <= MAX_SHARDS,
  must: `an integer in [0, ${MAX_SHARDS}] (shard names have six digits)`,
};
const FRACTION: Rule = {
  test: (v) => typeof v === 'number' && v >= 0 && v <= 1,
  must: 'a number in [0, 1]',
};
const SHA256: Rule = {
  test: (v) => typeof v === 'string' && /^[0-9a-f]{64}$/.test(v),
  must: 'a 64-hex string',
};
const SHARD_NAME: Rule = {
  test: (v) => typeof v === 'string' && /^shard-\d{6}\.tar$/.test(v),
  must: 'a shard file name shard-NNNNNN.tar',
};
const literal = (value: unknown): Rule => ({ test: (v) => v === value, must: JSON.stringify(value) });

const COUNT_FIELDS: (keyof StatusCounts)[] = ['pairs', 'sampled', 'match', 'occluded', 'outOfView', 'miss'];
const FRACTION_FIELDS = ['matchFraction', 'occludedFraction', 'outOfViewFraction', 'missFraction'];

/**
 * Checks that `value` (a parsed manifest.json) has every field readers use, with the right types, so
 * that a damaged or foreign file fails here with one line and not later with a TypeError. Extra fields
 * are allowed (a newer generator may add some). `path` names the file in errors. Throws
 * DatasetError('SHARD_READ'): `PATH: field "shards" is missing`, `PATH: shards[3].sha256 must be a
 * 64-hex string (got "abc")`.
 */
export function checkManifest(value: unknown, path: string): DatasetManifest {
  const fail = (what: string) => new DatasetError('SHARD_READ', `readManifest: ${path}: ${what}`, path);
  const shown = (v: unknown) => (JSON.stringify(v) ?? String(v)).slice(0, 80);
  const field = (owner: unknown, at: string, name: string, rule: Rule): unknown => {
    const full = at ? `${at}.${name}` : name;
    const v = (owner as Record<string, unknown>)[name];
    if (v === undefined) throw fail(`field "${full}" is missing`);
    if (!rule.test(v)) throw fail(`${full} must be ${rule.must} (got ${shown(v)})`);
    return v;
  };
  const fields = (owner: unknown, at: string, names: readonly string[], rule: Rule) => {
    for (const name of names) field(owner, at, name, rule);
  };
  if (!OBJECT.test(value)) throw fail(`must hold a JSON object (got ${shown(value)})`);
  field(value, '', 'format', literal('oxels-view-pairs'));
  field(value, '', 'formatVersion', literal(1));
  fields(field(value, '', 'generator', OBJECT), 'generator', ['name', 'version'], STRING);
  field(value, '', 'seed', COUNT);
  // The optional layers decide which files every sample must have.
  fields(field(value, '', 'config', OBJECT), 'config', ['depth', 'instances'], BOOLEAN);
  field(value, '', 'shardCount', SHARD_COUNT);
  const shards = field(value, '', 'shards', ARRAY) as unknown[];
  const seen = new Set<unknown>();
  for (const [i, shard] of shards.entries()) {
    const at = `shards[${i}]`;
    if (!OBJECT.test(shard)) throw fail(`${at} must be an object (got ${shown(shard)})`);
    const name = field(shard, at, 'name', SHARD_NAME);
    if (seen.has(name)) throw fail(`${at}.name: ${name} is listed twice`);
    seen.add(name);
    fields(shard, at, ['samples', 'bytes'], COUNT);
    field(shard, at, 'sha256', SHA256);
    fields(field(shard, at, 'counts', OBJECT), `${at}.counts`, COUNT_FIELDS, COUNT);
  }
  const totals = field(value, '', 'totals', OBJECT);
  fields(totals, 'totals', [...COUNT_FIELDS, 'shards'], COUNT);
  fields(totals, 'totals', FRACTION_FIELDS, FRACTION);
  return value as DatasetManifest;
}
