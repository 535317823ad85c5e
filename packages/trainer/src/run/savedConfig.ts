import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_PHOTOMETRIC_OPTIONS, type PhotometricOptions } from '../data/warp/photometricJitter.ts';
import {
  DEFAULT_VIEW_PAIR_SAMPLE_OPTIONS,
  type ViewPairSampleOptions,
} from '../data/viewPairs/viewPairSampleOptions.ts';
import { TrainerError } from '../errors.ts';
import { readJsonFile } from './readRunFile.ts';
import { DEFAULT_TRAIN_CONFIG, type TrainConfig } from './TrainConfig.ts';

/**
 * The 2D jitter of runs whose config.json predates the `photometric` field: `photometricJitter`'s defaults
 * at the time (DEFAULT_PHOTOMETRIC_OPTIONS has changed since).
 */
const JITTER_BEFORE_CONFIG: PhotometricOptions = {
  channelShuffle: 0,
  brightness: 0.2,
  contrast: 0.2,
  saturation: 0.2,
  hue: 0.05,
  motionBlur: 3,
  noise: 0.02,
};

/**
 * The sampling of runs whose config.json lacks one of its keys: what the sampler did without the
 * option, before the flag existed (whole views, the same window in both, no local or mined negatives).
 * A record of the past, not a default: the defaults of new runs are DEFAULT_VIEW_PAIR_SAMPLE_OPTIONS.
 */
const SAMPLING_BEFORE_CONFIG: ViewPairSampleOptions = {
  samples: 1024,
  positiveFraction: 1 / 8,
  crop: null,
  cropShift: null,
  localNegatives: 0,
  localRadius: [3, 16],
  hardNegatives: 0,
  hardRadius: 8,
};

/** The top-level keys of config.json up to the `sampling` object; `savedConfig` moves them into it. */
const FLAT_SAMPLING_KEYS = Object.keys(SAMPLING_BEFORE_CONFIG);

/** The keys a config.json may hold: TrainConfig's, at the top and in its option objects. */
const KNOWN_KEYS: Record<string, readonly string[]> = {
  '': ['source', ...Object.keys(DEFAULT_TRAIN_CONFIG)],
  sampling: Object.keys(DEFAULT_VIEW_PAIR_SAMPLE_OPTIONS),
  vader: Object.keys(DEFAULT_TRAIN_CONFIG.vader),
  clove: Object.keys(DEFAULT_TRAIN_CONFIG.clove),
  photometric: Object.keys(DEFAULT_PHOTOMETRIC_OPTIONS),
};

/** The keys of each `TrainSource` kind (the live generator's own config is scene-gen's to check). */
const SOURCE_KEYS: Record<string, readonly string[]> = {
  shards: ['kind', 'dir'],
  live: ['kind', 'generate', 'workers', 'assetCache'],
  'colored-mnist': ['kind', 'mnistDir'],
  images: ['kind', 'dir', 'size'],
};

/**
 * A run's config.json as a TrainConfig; null when `runDir` holds none. Reads every form the trainer has
 * written: keys added since a run was saved get what that run was trained with (`objective` oxel,
 * `normalization` image, `lrDecay` 1, the jitter and sampling of the time), and the sampling options,
 * once top-level keys (`crop`, `cropShift`, `samples`...), move into `sampling`. The file is not
 * rewritten.
 * @throws TrainerError BAD_DATA naming config.json when it is not a JSON object, or naming the first key
 *   the trainer does not know (a file edited by hand, or written by a newer version)
 */
export function savedConfig(runDir: string): TrainConfig | null {
  const path = join(runDir, 'config.json');
  if (!existsSync(path)) return null;
  const json = readJsonFile(path, 'run');
  if (!isObject(json)) throw new TrainerError('BAD_DATA', `run ${path}: not a config object`, path);
  const { sampling, rest } = migrateSampling(json);
  const config = {
    objective: 'oxel',
    vader: DEFAULT_TRAIN_CONFIG.vader,
    clove: DEFAULT_TRAIN_CONFIG.clove,
    photometric: JITTER_BEFORE_CONFIG,
    normalization: 'image',
    lrDecay: 1,
    ...rest,
    sampling,
  };
  checkKnownKeys(config, path);
  return config as TrainConfig;
}

/** The `sampling` of a saved config (its own, or built from the older top-level keys) and the other keys. */
function migrateSampling(json: Record<string, unknown>): {
  sampling: unknown;
  rest: Record<string, unknown>;
} {
  const rest = { ...json };
  if ('sampling' in json) {
    delete rest.sampling;
    return { sampling: json.sampling, rest };
  }
  const flat: Record<string, unknown> = {};
  for (const key of FLAT_SAMPLING_KEYS) {
    if (key in rest) flat[key] = rest[key];
    delete rest[key];
  }
  return { sampling: { ...SAMPLING_BEFORE_CONFIG, ...flat }, rest };
}

/** Throws naming the file and the first key of `config` that TrainConfig does not have. */
function checkKnownKeys(config: Record<string, unknown>, path: string): void {
  const unknown = (key: string) =>
    new TrainerError(
      'BAD_DATA',
      `run ${path}: unknown key "${key}" (not a TrainConfig option: edited by hand, or written by a newer oxels?)`,
      path,
    );
  for (const [parent, known] of Object.entries(KNOWN_KEYS)) {
    const object = parent ? config[parent] : config;
    if (!isObject(object)) continue;
    const extra = Object.keys(object).find((k) => !known.includes(k));
    if (extra !== undefined) throw unknown(parent ? `${parent}.${extra}` : extra);
  }
  const source = config.source;
  const known = isObject(source) ? SOURCE_KEYS[String(source.kind)] : undefined;
  if (!isObject(source) || !known)
    throw new TrainerError(
      'BAD_DATA',
      `run ${path}: "source" must be an object whose "kind" is one of ${Object.keys(SOURCE_KEYS).join(', ')}`,
      path,
    );
  const extra = Object.keys(source).find((k) => !known.includes(k));
  if (extra !== undefined) throw unknown(`source.${extra}`);
}

const isObject = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x);
