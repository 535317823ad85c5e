import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeJsonAtomic, optionName } from '@oxels/core';
import { DatasetError } from './errors.ts';
import { datasetFiles, GENERATE_CONFIG_FILE, isManifestFile, MANIFEST_FILE } from './datasetFiles.ts';
import type { DatasetManifest, ManifestShard } from './DatasetManifest.ts';

/** A configuration that a dataset directory records, and the shards recorded with it. */
export interface DatasetRecord {
  /** The file it comes from: a manifest (part) or `generate-config.json`. */
  path: string;
  generator: DatasetManifest['generator'];
  config: Record<string, unknown>;
  /** The shards the file lists with their sha256 (a manifest); none for `generate-config.json`. */
  shards: ManifestShard[];
}

/** `OUT/generate-config.json`: what a run is making, recorded before its first shard. */
interface ConfigRecordFile {
  format: 'oxels-generate-config';
  formatVersion: 1;
  generator: DatasetManifest['generator'];
  config: Record<string, unknown>;
}

/**
 * The configurations recorded in `dir`: `manifest.json`, the parts of a split run, then
 * `generate-config.json` (a run killed before its manifest has only this one). Throws
 * DatasetError('SHARD_READ') naming a file that is not such a record.
 */
export function readDatasetRecords(dir: string): DatasetRecord[] {
  const files = datasetFiles(dir);
  const names = [
    ...files.filter((n) => n === MANIFEST_FILE),
    ...files.filter((n) => isManifestFile(n) && n !== MANIFEST_FILE),
    ...files.filter((n) => n === GENERATE_CONFIG_FILE),
  ];
  return names.map((name) => readRecord(join(dir, name)));
}

/** Writes `dir/generate-config.json` atomically, unless it already holds this configuration. */
export async function writeConfigRecord(
  dir: string,
  generator: DatasetManifest['generator'],
  config: Record<string, unknown>,
): Promise<void> {
  const path = join(dir, GENERATE_CONFIG_FILE);
  const record: ConfigRecordFile = { format: 'oxels-generate-config', formatVersion: 1, generator, config };
  if (existsSync(path) && readFileSync(path, 'utf8') === `${JSON.stringify(record, null, 2)}\n`) return;
  await writeJsonAtomic(path, record);
}

function readRecord(path: string): DatasetRecord {
  const bad = (what: string) =>
    new DatasetError(
      'SHARD_READ',
      `readDatasetRecords: ${path} ${what}; rerun gen-scenes with ${optionName('force')} to delete the dataset it belongs to, or choose another ${optionName('out')}`,
      path,
    );
  let json: Partial<DatasetManifest>;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw bad(`is not valid JSON (${(err as Error).message})`);
  }
  if (typeof json?.config !== 'object' || json.config === null || typeof json.generator !== 'object') {
    throw bad('records no generator and config');
  }
  return {
    path,
    generator: json.generator,
    config: json.config,
    shards: Array.isArray(json.shards) ? json.shards : [],
  };
}
