import { existsSync, readFileSync } from 'node:fs';
import { TrainerError } from '../errors.ts';

/**
 * The bytes of a run's file (config.json, a checkpoint's). Throws TrainerError('NOT_FOUND') naming it
 * after `label`, what the file is part of ('checkpoint', 'run'), when it is missing.
 */
export function readRunFile(path: string, label: string): Buffer {
  if (!existsSync(path)) throw new TrainerError('NOT_FOUND', `${label} ${path}: missing`, path);
  return readFileSync(path);
}

/** The JSON value of a run's file: `readRunFile`, and TrainerError('BAD_DATA') naming it when it is not JSON. */
export function readJsonFile(path: string, label: string): unknown {
  const text = readRunFile(path, label).toString('utf8');
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new TrainerError('BAD_DATA', `${label} ${path}: not JSON (${(err as Error).message})`, path);
  }
}
