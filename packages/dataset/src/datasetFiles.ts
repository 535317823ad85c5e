import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** `OUT/manifest.json`: the manifest of a complete dataset. */
export const MANIFEST_FILE = 'manifest.json';

/** `OUT/generate-config.json`: the config of the run, written before its first shard (see writeConfigRecord). */
export const GENERATE_CONFIG_FILE = 'generate-config.json';

const SHARD = /^shard-\d{6}\.tar$/;
const MANIFEST = /^manifest(\.part-\d{3}-of-\d{3})?\.json$/;
// ShardWriter writes NAME.tmp; writeJsonAtomic writes NAME.<12 hex>.tmp (machines of a split run may
// write the same JSON file at once).
const TEMPORARY = /(\.[0-9a-f]{12})?\.tmp$/;

/** Whether `name` is a shard file name: shard-000000.tar. */
export function isShardFile(name: string): boolean {
  return SHARD.test(name);
}

/** Whether `name` is a manifest: manifest.json, or a split run's manifest.part-000-of-002.json. */
export function isManifestFile(name: string): boolean {
  return MANIFEST.test(name);
}

/** The final name of a temporary file (`shard-000003.tar.tmp` -> `shard-000003.tar`), or null. */
export function temporaryOf(name: string): string | null {
  return name.endsWith('.tmp') ? name.replace(TEMPORARY, '') : null;
}

/** Whether gen-scenes writes files of this name: a shard, a manifest, its config record, or a temporary of one. */
export function isDatasetFile(name: string): boolean {
  const base = temporaryOf(name) ?? name;
  return isShardFile(base) || isManifestFile(base) || base === GENERATE_CONFIG_FILE;
}

/** The files of `dir` that gen-scenes wrote (sorted; none when `dir` is not a directory). */
export function datasetFiles(dir: string): string[] {
  return existsSync(dir) && statSync(dir).isDirectory() ? readdirSync(dir).filter(isDatasetFile).sort() : [];
}

/** Deletes the files of `dir` that gen-scenes wrote, and nothing else; returns their names. */
export function removeDatasetFiles(dir: string): string[] {
  const names = datasetFiles(dir);
  for (const name of names) rmSync(join(dir, name), { force: true });
  return names;
}

/**
 * Leftover temporaries of a killed run whose final file is one of `owned`. A machine of a split run
 * owns only its own files: the temporaries of the others may be in use.
 */
export function staleTemporaries(dir: string, owned: ReadonlySet<string>): string[] {
  return datasetFiles(dir).filter((name) => {
    const base = temporaryOf(name);
    return base !== null && owned.has(base);
  });
}
