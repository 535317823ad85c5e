import { randomBytes } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import { FileWriteError, systemErrorText } from './errors.ts';

/**
 * Writes a JSON file atomically: to a temporary name of its own (machines of a split run may write the
 * same file at once), then renamed. On failure the temporary is removed and a FileWriteError names `path`.
 */
export async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, `${JSON.stringify(value, null, 2)}\n`);
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw new FileWriteError(`writeJsonAtomic: cannot write ${path}: ${systemErrorText(err)}`, path, err);
  }
}
