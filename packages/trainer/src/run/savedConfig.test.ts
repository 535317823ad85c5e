import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { savedConfig } from './savedConfig.ts';

const tmp = mkdtempSync(join(tmpdir(), 'oxels-saved-config-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** config.json of runs/tf-defaults-11000 as main wrote it: the sampling options as top-level keys. */
const FLAT = readFileSync(new URL('../../test/fixtures/flat-config.json', import.meta.url), 'utf8');

/** A run folder holding `config` (JSON text, or a value to write as JSON) as its config.json. */
function runWith(name: string, config: unknown): string {
  const dir = join(tmp, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'config.json'), typeof config === 'string' ? config : JSON.stringify(config));
  return dir;
}

describe('savedConfig', () => {
  it('reads a config.json of the flat form into `sampling`, each value where the file had it', () => {
    const flat = JSON.parse(FLAT);
    const config = savedConfig(runWith('flat', FLAT));
    expect(config?.sampling).toEqual({
      samples: 1024,
      positiveFraction: 0.125,
      crop: [128, 128],
      cropShift: 64,
      localNegatives: 0,
      localRadius: [3, 16],
      hardNegatives: 0,
      hardRadius: 8,
    });
    // Nothing else changed, and no flat key is left beside `sampling`.
    const { sampling, ...rest } = config!;
    const flatKeys = Object.keys(sampling);
    expect(Object.keys(rest).filter((k) => flatKeys.includes(k))).toEqual([]);
    for (const [k, v] of Object.entries(rest)) expect(v, k).toEqual(flat[k]);
    expect(Object.keys(rest).sort()).toEqual(
      Object.keys(flat)
        .filter((k) => !flatKeys.includes(k))
        .sort(),
    );
  });

  it("gives keys missing from older files what those runs were trained with, not today's defaults", () => {
    const { crop, cropShift, hardNegatives, localNegatives, normalization, lrDecay, ...older } =
      JSON.parse(FLAT);
    expect([crop, cropShift, normalization, lrDecay]).toEqual([[128, 128], 64, 'pixel', 0.2]);
    const config = savedConfig(runWith('older', older))!;
    // Before --crop: whole views; before --crop-shift: the same window; the one-group norm, one-cycle.
    expect([config.sampling.crop, config.sampling.cropShift, config.normalization, config.lrDecay]).toEqual([
      null,
      null,
      'image',
      1,
    ]);
    expect([config.sampling.hardNegatives, config.sampling.localNegatives]).toEqual([0, 0]);
  });

  it('reads the form it writes back to the same config', () => {
    const first = savedConfig(runWith('flat2', FLAT))!;
    expect(savedConfig(runWith('nested', first))).toEqual(first);
  });

  it('refuses a key the trainer does not know, naming the file and the key', () => {
    const dir = runWith('typo', { ...JSON.parse(FLAT), cropShfit: 32 });
    const path = join(dir, 'config.json');
    expect(() => savedConfig(dir)).toThrow(`run ${path}: unknown key "cropShfit"`);
    const nested = savedConfig(runWith('nested-ok', FLAT))!;
    const inner = runWith('typo-nested', { ...nested, sampling: { ...nested.sampling, crops: [8, 8] } });
    expect(() => savedConfig(inner)).toThrow(/config.json: unknown key "sampling.crops"/);
    // Flat keys beside a `sampling` object are not read twice (which would win?): they are unknown.
    const both = runWith('both', { ...nested, crop: [64, 64] });
    expect(() => savedConfig(both)).toThrow(/unknown key "crop"/);
    const vader = runWith('vader', { ...nested, vader: { ...nested.vader, queue: 5 } });
    expect(() => savedConfig(vader)).toThrow(/unknown key "vader.queue"/);
    const source = runWith('source', { ...nested, source: { kind: 'shards', dir: '/d', shards: 3 } });
    expect(() => savedConfig(source)).toThrow(/unknown key "source.shards"/);
    expect(() => savedConfig(runWith('kind', { ...nested, source: { kind: 'tape' } }))).toThrow(
      /"source" must be an object whose "kind" is one of shards, live, colored-mnist, images/,
    );
  });

  it('is null without a config.json, and names the file when it is not a JSON object', () => {
    expect(savedConfig(join(tmp, 'absent'))).toBeNull();
    const dir = runWith('array', '[1, 2]');
    expect(() => savedConfig(dir)).toThrow(`run ${join(dir, 'config.json')}: not a config object`);
  });
});
