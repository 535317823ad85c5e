import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TrainerError } from '../errors.ts';
import { readWeights } from '../model/readWeights.ts';
import type { UNet, WeightArray } from '../model/UNet.ts';
import { hwioToOihw } from '../model/weightLayout.ts';
import type { AdamW, AdamWState } from '../optim/AdamW.ts';
import { readJsonFile, readRunFile } from './readRunFile.ts';
import { decodeSafetensors, encodeSafetensors } from './safetensors.ts';

/** `RUN/checkpoints/latest.json`: which checkpoint a resume starts from. */
interface LatestPointer {
  step: number;
  dir: string;
}

/** What a checkpoint restores. */
export interface Checkpoint {
  /** The checkpoint's directory (extra state files of an objective lie here). */
  dir: string;
  /** Training steps completed. */
  step: number;
  /** Model weights in tfjs layout, by state_dict key. */
  weights: Map<string, WeightArray>;
  optimizer: AdamWState;
}

/** A checkpoint's directory name: step-NNNNNNN. */
const stepDirName = (step: number) => `step-${String(step).padStart(7, '0')}`;
const checkpointDir = (runDir: string, step: number) => join(runDir, 'checkpoints', stepDirName(step));

/**
 * Saves model and optimiser after `step` steps into RUN/checkpoints/step-NNNNNNN/:
 * - model.json + weights.bin: the weights in TensorFlow.js's format (a weightsManifest; tfjs layout);
 * - model.safetensors: the weights for PyTorch (`load_state_dict(safetensors.torch.load_file(...))`
 *   on the reference U-Net: state_dict keys, conv kernels as [Cout, Cin, kh, kw]);
 * - optimizer.safetensors: AdamW moments (tfjs layout), its step count in the metadata;
 * - `extraFiles`: an objective's own state by file name (e.g. VADeR's teacher.safetensors and
 *   queue.safetensors), written as given.
 * Written to a temporary directory and renamed, then latest.json is replaced atomically: a kill at
 * any moment leaves the previous checkpoint intact. Keeps the last `keep` checkpoints (default 3) and
 * those at multiples of `keepEvery` steps (default 0: none).
 */
export async function saveCheckpoint(
  runDir: string,
  step: number,
  model: UNet,
  optimizer: AdamW,
  options: Partial<{ keep: number; keepEvery: number; extraFiles: ReadonlyMap<string, Uint8Array> }> = {},
): Promise<string> {
  const { keep = 3, keepEvery = 0, extraFiles = new Map<string, Uint8Array>() } = options;
  const dir = checkpointDir(runDir, step);
  const tmp = `${dir}.tmp`;
  // Everything read from the device first (asynchronously: webgpu), then written.
  const weights = await readWeights(model.parameters);
  const state = await optimizer.readState();
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });

  const specs = [...weights].map(([name, w]) => ({ name, shape: w.shape, dtype: 'float32' }));
  const total = [...weights.values()].reduce((n, w) => n + w.data.length, 0);
  const bin = new Float32Array(total);
  let at = 0;
  for (const w of weights.values()) {
    bin.set(w.data, at);
    at += w.data.length;
  }
  writeFileSync(join(tmp, 'weights.bin'), new Uint8Array(bin.buffer));
  const modelJson = {
    format: 'oxels-unet',
    generatedBy: '@oxels/trainer',
    config: model.config,
    weightsManifest: [{ paths: ['weights.bin'], weights: specs }],
  };
  writeFileSync(join(tmp, 'model.json'), `${JSON.stringify(modelJson, null, 2)}\n`);

  const torch = new Map([...weights].map(([name, w]) => [name, hwioToOihw(w)]));
  writeFileSync(
    join(tmp, 'model.safetensors'),
    encodeSafetensors(torch, { format: 'pt', config: JSON.stringify(model.config) }),
  );

  const moments = new Map<string, WeightArray>();
  for (const [name, m] of state.m) moments.set(`m.${name}`, m);
  for (const [name, v] of state.v) moments.set(`v.${name}`, v);
  writeFileSync(
    join(tmp, 'optimizer.safetensors'),
    encodeSafetensors(moments, { adamw_step: String(state.step) }),
  );

  for (const [name, bytes] of extraFiles) writeFileSync(join(tmp, name), bytes);

  rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir);
  const pointer: LatestPointer = { step, dir: stepDirName(step) };
  const latest = join(runDir, 'checkpoints', 'latest.json');
  writeFileSync(`${latest}.tmp`, `${JSON.stringify(pointer)}\n`);
  renameSync(`${latest}.tmp`, latest);
  pruneCheckpoints(runDir, step, keep, keepEvery);
  return dir;
}

/**
 * The latest checkpoint of a run (the one latest.json names), or null when it has none. Throws
 * TrainerError naming the file when latest.json or a file of the checkpoint is missing or damaged.
 */
export function loadLatestCheckpoint(runDir: string): Checkpoint | null {
  const latest = join(runDir, 'checkpoints', 'latest.json');
  if (!existsSync(latest)) return null;
  const pointer = readLatestPointer(latest);
  return readCheckpoint(join(runDir, 'checkpoints', pointer.dir), pointer.step);
}

/**
 * The newest checkpoint of a run that can be read and that `restore` takes (it applies the checkpoint
 * and throws TrainerError 'BAD_DATA' or 'NOT_FOUND' when it cannot): the one latest.json names, else the
 * others from the newest down. `passedOver` says what was unreadable and why. Returns null when the
 * run has no checkpoint; throws TrainerError('BAD_DATA') naming each one when none is readable.
 */
export function restoreNewestReadable(
  runDir: string,
  restore: (checkpoint: Checkpoint) => void,
): { checkpoint: Checkpoint; passedOver: string[] } | null {
  const latest = join(runDir, 'checkpoints', 'latest.json');
  const steps = checkpointSteps(runDir).reverse();
  const passedOver: string[] = [];
  let first: number | undefined;
  if (existsSync(latest)) {
    try {
      first = readLatestPointer(latest).step;
    } catch (err) {
      passedOver.push(`${latest} is unreadable (${unreadable(err)})`);
    }
  } else if (steps.length === 0) return null;
  else passedOver.push(`${latest} is missing`);
  const order = first === undefined ? steps : [first, ...steps.filter((s) => s !== first)];
  for (const step of order) {
    const dir = checkpointDir(runDir, step);
    try {
      const checkpoint = readCheckpoint(dir, step);
      restore(checkpoint);
      return { checkpoint, passedOver };
    } catch (err) {
      passedOver.push(`${dir} is unreadable (${unreadable(err)})`);
    }
  }
  throw new TrainerError(
    'BAD_DATA',
    `${join(runDir, 'checkpoints')} holds no readable checkpoint: ${passedOver.join('; ')}`,
    join(runDir, 'checkpoints'),
  );
}

/** The message of a TrainerError about a damaged or missing file; anything else propagates. */
function unreadable(err: unknown): string {
  if (err instanceof TrainerError && (err.code === 'BAD_DATA' || err.code === 'NOT_FOUND'))
    return err.message;
  throw err;
}

/**
 * The checkpoint a run saved after `step` steps. Throws TrainerError('NOT_FOUND') listing the steps it
 * has when that one is gone (only the last 3 and the `keepEvery` milestones are kept), and TrainerError
 * naming the file when one of it is missing or damaged.
 */
export function loadCheckpoint(runDir: string, step: number): Checkpoint {
  const dir = checkpointDir(runDir, step);
  if (!existsSync(dir)) {
    const kept = checkpointSteps(runDir);
    throw new TrainerError(
      'NOT_FOUND',
      `loadCheckpoint: ${runDir} has no checkpoint at step ${step} (kept: ${kept.length ? kept.join(', ') : 'none'})`,
      dir,
    );
  }
  return readCheckpoint(dir, step);
}

/** The steps of a run's saved checkpoints, ascending. */
export function checkpointSteps(runDir: string): number[] {
  const dir = join(runDir, 'checkpoints');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .map((name) => /^step-(\d{7})$/.exec(name))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]))
    .sort((a, b) => a - b);
}

/** A file of a checkpoint directory; TrainerError('NOT_FOUND') naming it when it is missing. */
const readCheckpointFile = (dir: string, name: string) => readRunFile(join(dir, name), 'checkpoint');

/**
 * The float32 tensors and metadata of a checkpoint's safetensors file, all finite; TrainerError naming
 * the file when it is missing, damaged or holds a NaN or infinity (a run never saves one: see
 * `applyGradientStep`).
 */
export function readCheckpointTensors(
  dir: string,
  name: string,
): { tensors: Map<string, WeightArray>; metadata: Record<string, string> } {
  const path = join(dir, name);
  const decoded = decodeSafetensors(readCheckpointFile(dir, name), path);
  assertFinite(decoded.tensors, path);
  return decoded;
}

/** Throws TrainerError('BAD_DATA') naming `path` and the first non-finite value of `tensors`. */
function assertFinite(tensors: ReadonlyMap<string, WeightArray>, path: string): void {
  for (const [name, { data }] of tensors) {
    const i = data.findIndex((x) => !Number.isFinite(x));
    if (i >= 0)
      throw new TrainerError(
        'BAD_DATA',
        `checkpoint ${path}: ${name}[${i}] is ${data[i]} (not finite)`,
        path,
      );
  }
}

/** RUN/checkpoints/latest.json, checked to name a checkpoint directory. */
function readLatestPointer(path: string): LatestPointer {
  const pointer = readJsonFile(path, 'checkpoint') as Partial<LatestPointer> | null;
  const { step, dir } = pointer ?? {};
  if (!(Number.isInteger(step) && step! >= 0 && dir === stepDirName(step!))) {
    throw new TrainerError(
      'BAD_DATA',
      `checkpoint ${path}: expected {"step": N, "dir": "step-NNNNNNN"} (got ${JSON.stringify(pointer).slice(0, 80)})`,
      path,
    );
  }
  return { step: step!, dir };
}

/** The weightsManifest group of a checkpoint's model.json, checked to list shaped weights in one file. */
function readWeightsManifest(dir: string): WeightsGroup {
  const path = join(dir, 'model.json');
  const json = readJsonFile(path, 'checkpoint') as { weightsManifest?: unknown } | null;
  const group = (Array.isArray(json?.weightsManifest) ? json.weightsManifest[0] : undefined) as
    | Partial<WeightsGroup>
    | undefined;
  const valid =
    typeof group?.paths?.[0] === 'string' &&
    Array.isArray(group.weights) &&
    group.weights.every(
      (w) =>
        typeof w?.name === 'string' &&
        Array.isArray(w.shape) &&
        w.shape.every((d) => Number.isInteger(d) && d >= 0),
    );
  if (!valid) {
    throw new TrainerError(
      'BAD_DATA',
      `checkpoint ${path}: no weightsManifest [{ paths: [file], weights: [{ name, shape }] }]`,
      path,
    );
  }
  return group as WeightsGroup;
}

function readCheckpoint(dir: string, step: number): Checkpoint {
  const weights = readTfjsWeights(dir, readWeightsManifest(dir));
  assertFinite(weights, join(dir, 'weights.bin'));
  const { tensors, metadata } = readCheckpointTensors(dir, 'optimizer.safetensors');
  const adamwStep = Number(metadata.adamw_step);
  if (!Number.isInteger(adamwStep) || adamwStep < 0) {
    const path = join(dir, 'optimizer.safetensors');
    throw new TrainerError(
      'BAD_DATA',
      `checkpoint ${path}: metadata adamw_step is ${JSON.stringify(metadata.adamw_step)} (expected a step count)`,
      path,
    );
  }
  const m = new Map<string, WeightArray>();
  const v = new Map<string, WeightArray>();
  for (const [key, t] of tensors) (key.startsWith('m.') ? m : v).set(key.slice(2), t);
  return { dir, step, weights, optimizer: { step: adamwStep, m, v } };
}

/** One group of model.json's weightsManifest: the weights, in order, stored in `paths[0]`. */
export interface WeightsGroup {
  paths: string[];
  weights: { name: string; shape: number[] }[];
}

/**
 * Reads weights saved in TensorFlow.js's format (model.json's weightsManifest + .bin). Throws
 * TrainerError naming the .bin when it is missing or its size is not what the manifest needs.
 */
export function readTfjsWeights(dir: string, group: WeightsGroup): Map<string, WeightArray> {
  const path = join(dir, group.paths[0]);
  const bytes = readCheckpointFile(dir, group.paths[0]);
  const sizes = group.weights.map(({ shape }) => shape.reduce((a, b) => a * b, 1));
  const needed = 4 * sizes.reduce((a, b) => a + b, 0);
  if (bytes.byteLength !== needed) {
    throw new TrainerError(
      'BAD_DATA',
      `checkpoint ${path}: ${bytes.byteLength} bytes, model.json's weightsManifest needs ${needed}`,
      path,
    );
  }
  const all = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const out = new Map<string, WeightArray>();
  let at = 0;
  group.weights.forEach(({ name, shape }, i) => {
    out.set(name, { shape, data: all.slice(at, at + sizes[i]) });
    at += sizes[i];
  });
  return out;
}

/** Removes checkpoints up to `step` beyond the newest `keep`, except multiples of `keepEvery` (> 0). */
function pruneCheckpoints(runDir: string, step: number, keep: number, keepEvery: number): void {
  const older = checkpointSteps(runDir)
    .filter((s) => s <= step)
    .reverse()
    .slice(keep);
  for (const s of older) {
    if (keepEvery > 0 && s % keepEvery === 0) continue;
    rmSync(checkpointDir(runDir, s), { recursive: true, force: true });
  }
}
