import { optionName } from '@oxels/core';
import { basename } from 'node:path';
import { SceneGenError } from '../errors.ts';
import {
  GENERATE_CONFIG_FILE,
  MANIFEST_FILE,
  type DatasetRecord,
  type DatasetManifest,
} from '@oxels/dataset';

/**
 * What decides the bytes of a dataset: the generator and the GenerateConfig. The RunOptions (--out,
 * workers, which part of a split run, the asset cache) do not, so they may change between resumes.
 */
export interface DatasetIdentity {
  generator: DatasetManifest['generator'];
  config: Record<string, unknown>;
}

/** One field that differs between a recorded dataset and this run; `undefined` where a side lacks it. */
export interface ConfigDifference {
  field: string;
  stored: unknown;
  current: unknown;
}

/** The fields of `current` and `stored` that differ (config fields, then `generator`), compared as JSON. */
export function configDifferences(stored: DatasetIdentity, current: DatasetIdentity): ConfigDifference[] {
  const flat = (id: DatasetIdentity): Record<string, unknown> => ({
    ...id.config,
    generator: `${id.generator.name} ${id.generator.version}`,
  });
  const a = flat(stored);
  const b = flat(current);
  const fields = [...new Set([...Object.keys(b), ...Object.keys(a)])];
  return fields
    .filter((field) => JSON.stringify(a[field]) !== JSON.stringify(b[field]))
    .map((field) => ({ field, stored: a[field], current: b[field] }));
}

/**
 * Refuses to add to `dir` when it holds shards or manifests of another dataset, so that a rerun never
 * mixes two configurations: throws SceneGenError('CONFIG_MISMATCH') naming each differing field, or
 * naming shards that no file records the configuration of. A `generate-config.json` alone is no dataset
 * (its run ended before its first shard) and is simply replaced.
 * @param records what `dir` records (readDatasetRecords)
 * @param shards the shard files in `dir`
 */
export function checkResume(
  dir: string,
  records: DatasetRecord[],
  shards: string[],
  current: DatasetIdentity,
): void {
  const manifests = records.filter((r) => basename(r.path) !== GENERATE_CONFIG_FILE);
  if (shards.length === 0 && manifests.length === 0) return;
  const fix = `rerun with ${optionName('force')} to delete it and generate afresh, or choose another ${optionName('out')}`;
  if (records.length === 0) {
    throw new SceneGenError(
      'CONFIG_MISMATCH',
      `gen-scenes: ${optionName('out')} ${dir} holds ${shards.length} shard${shards.length === 1 ? '' : 's'} but no record of the configuration they were made with (no ${MANIFEST_FILE} or ${GENERATE_CONFIG_FILE}); ${fix}`,
      dir,
    );
  }
  for (const record of records) {
    const differences = configDifferences(record, current);
    if (differences.length === 0) continue;
    throw new SceneGenError(
      'CONFIG_MISMATCH',
      `gen-scenes: ${optionName('out')} ${dir} holds a dataset made with another configuration: ${describeDifferences(differences, record.path)}; ${fix}`,
      record.path,
    );
  }
}

/** `seed 1 (in DIR/manifest.json) vs 2 (this run), width 64 vs 32`. */
function describeDifferences(differences: ConfigDifference[], path: string): string {
  const show = (v: unknown) => (v === undefined ? 'absent' : JSON.stringify(v));
  return differences
    .map(({ field, stored, current }, i) =>
      i === 0
        ? `${field} ${show(stored)} (in ${path}) vs ${show(current)} (this run)`
        : `${field} ${show(stored)} vs ${show(current)}`,
    )
    .join(', ');
}
