import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TrainerError } from '../errors.ts';
import type { UNet, WeightArray } from '../model/UNet.ts';
import { hwioToOihw } from '../model/weightLayout.ts';
import type { AdamW, AdamWState } from './AdamW.ts';
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

const checkpointDir = (runDir: string, step: number) =>
  join(runDir, 'checkpoints', `step-${String(step).padStart(7, '0')}`);

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
export function saveCheckpoint(
  runDir: string,
  step: number,
  model: UNet,
  optimizer: AdamW,
  options: Partial<{ keep: number; keepEvery: number; extraFiles: ReadonlyMap<string, Uint8Array> }> = {},
): string {
  const { keep = 3, keepEvery = 0, extraFiles = new Map<string, Uint8Array>() } = options;
  const dir = checkpointDir(runDir, step);
  const tmp = `${dir}.tmp`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  const weights = model.getWeights();

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

  const state = optimizer.getState();
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
  const pointer: LatestPointer = { step, dir: dir.slice(dir.lastIndexOf('/') + 1) };
  const latest = join(runDir, 'checkpoints', 'latest.json');
  writeFileSync(`${latest}.tmp`, `${JSON.stringify(pointer)}\n`);
  renameSync(`${latest}.tmp`, latest);
  pruneCheckpoints(runDir, step, keep, keepEvery);
  return dir;
}

/** The latest checkpoint of a run, or null when it has none. Throws TrainerError naming a damaged file. */
export function loadLatestCheckpoint(runDir: string): Checkpoint | null {
  const latest = join(runDir, 'checkpoints', 'latest.json');
  if (!existsSync(latest)) return null;
  const pointer = JSON.parse(readFileSync(latest, 'utf8')) as LatestPointer;
  return readCheckpoint(join(runDir, 'checkpoints', pointer.dir), pointer.step);
}

/**
 * The checkpoint a run saved after `step` steps. Throws TrainerError('NOT_FOUND') listing the steps it
 * has when that one is gone (only the last 3 and the `keepEvery` milestones are kept).
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

function readCheckpoint(dir: string, step: number): Checkpoint {
  const manifest = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as {
    weightsManifest: { paths: string[]; weights: { name: string; shape: number[] }[] }[];
  };
  const weights = readTfjsWeights(dir, manifest.weightsManifest[0]);
  const { tensors, metadata } = decodeSafetensors(
    readFileSync(join(dir, 'optimizer.safetensors')),
    join(dir, 'optimizer.safetensors'),
  );
  const m = new Map<string, WeightArray>();
  const v = new Map<string, WeightArray>();
  for (const [key, t] of tensors) (key.startsWith('m.') ? m : v).set(key.slice(2), t);
  return { dir, step, weights, optimizer: { step: Number(metadata.adamw_step), m, v } };
}

/** Reads weights saved in TensorFlow.js's format (model.json's weightsManifest + .bin). */
export function readTfjsWeights(
  dir: string,
  group: { paths: string[]; weights: { name: string; shape: number[] }[] },
): Map<string, WeightArray> {
  const path = join(dir, group.paths[0]);
  const bytes = readFileSync(path);
  const all = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const out = new Map<string, WeightArray>();
  let at = 0;
  for (const { name, shape } of group.weights) {
    const n = shape.reduce((a, b) => a * b, 1);
    if (at + n > all.length) {
      throw new TrainerError(
        'BAD_DATA',
        `readTfjsWeights: ${path} is too short for ${name} (truncated?)`,
        path,
      );
    }
    out.set(name, { shape, data: all.slice(at, at + n) });
    at += n;
  }
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
