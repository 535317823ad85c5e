import { optionName } from '@oxels/core';
import { SceneGenError } from '../errors.ts';

/**
 * Everything that decides the bytes of a dataset (recorded in its manifest). Machine-specific
 * settings (output directory, workers, which part of a split run) live in `RunOptions`.
 */
export interface GenerateConfig {
  /** Number of rooms; room r uses the r-th room of the dataset (cycling when there are fewer). */
  rooms: number;
  pairsPerRoom: number;
  /** Image size in pixels (both views). */
  width: number;
  height: number;
  /** Vertical field of view, degrees. */
  fovY: number;
  seed: number;
  /** Samples per shard. */
  shardSize: number;
  /** SceneNN root; absent means the embedded default rooms. */
  scenenn: string | null;
  /** ShapeNetCore v2 root; absent means the embedded default objects. */
  shapenet: string | null;
  /** Write z-depth layers (.depth.npy). */
  depth: boolean;
  /** Write instance-id layers (.inst.png). */
  instances: boolean;
  /** Objects per room, uniform in [min, max]. */
  objectsPerRoom: [number, number];
  /** Pairs whose match fraction is below this are re-sampled. */
  minMatchFraction: number;
  /** Re-sampling attempts per pair before the best attempt is kept (with a warning). */
  maxAttempts: number;
  /** Relative tolerance of the occlusion test. */
  tolerance: number;
}

export const DEFAULT_GENERATE_CONFIG: GenerateConfig = {
  rooms: 76,
  pairsPerRoom: 10,
  width: 256,
  height: 256,
  fovY: 60,
  seed: 0,
  shardSize: 100,
  scenenn: null,
  shapenet: null,
  depth: false,
  instances: false,
  objectsPerRoom: [1, 15],
  minMatchFraction: 0.1,
  maxAttempts: 20,
  tolerance: 1e-3,
};

/** Where and how one machine runs (none of it changes the dataset's bytes). */
export interface RunOptions {
  out: string;
  workers: number;
  /** This machine writes shards s with s % numShards === shardIndex. */
  shardIndex: number;
  numShards: number;
  /** Cache of the embedded default assets. */
  assetCache: string;
  /**
   * Delete the dataset gen-scenes wrote in `out` (shards, manifests, generate-config.json, their
   * temporaries; nothing else) and generate afresh, instead of refusing a dataset of another config.
   * Default false. It deletes the shards of every machine of a split run.
   */
  force?: boolean;
}

/** Checks a config's values; throws SceneGenError('BAD_ARGUMENT') naming the first bad one. */
export function validateGenerateConfig(config: GenerateConfig, run: RunOptions): void {
  const bad = (what: string) => {
    throw new SceneGenError('BAD_ARGUMENT', `gen-scenes: ${what}`);
  };
  const positiveInt = (name: string, v: number) => {
    if (!Number.isInteger(v) || v < 1) bad(`${name} must be a positive integer (got ${v})`);
  };
  positiveInt(`${optionName('rooms')}`, config.rooms);
  positiveInt(`${optionName('pairsPerRoom')}`, config.pairsPerRoom);
  positiveInt(`${optionName('shardSize')}`, config.shardSize);
  positiveInt(`${optionName('workers')}`, run.workers);
  positiveInt(`${optionName('numShards')}`, run.numShards);
  if (
    !Number.isInteger(config.width) ||
    !Number.isInteger(config.height) ||
    config.width < 8 ||
    config.height < 8
  ) {
    bad(`${optionName('size')} must be WxH with both at least 8 (got ${config.width}x${config.height})`);
  }
  if (!(config.fovY > 1 && config.fovY < 170))
    bad(`${optionName('fovY')} must be in (1, 170) degrees (got ${config.fovY})`);
  if (!Number.isSafeInteger(config.seed) || config.seed < 0)
    bad(`${optionName('seed')} must be a non-negative integer (got ${config.seed})`);
  if (!Number.isInteger(run.shardIndex) || run.shardIndex < 0 || run.shardIndex >= run.numShards) {
    bad(`${optionName('shardIndex')} must be in [0, ${run.numShards}) (got ${run.shardIndex})`);
  }
  const [lo, hi] = config.objectsPerRoom;
  if (!(Number.isInteger(lo) && Number.isInteger(hi) && lo >= 0 && hi >= lo)) {
    bad(`objectsPerRoom must be integers 0 <= min <= max (got ${lo}, ${hi})`);
  }
}
