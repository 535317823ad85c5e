/** Tensor backends the trainer can run on (`--backend`). `auto` picks a GPU (tfjs-node-gpu, then hardware WebGPU), then tensorflow on the CPU, then wasm (initBackend). */
export const BACKEND_NAMES = ['auto', 'tensorflow', 'webgpu', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

/**
 * U-Net backbone configuration (see model/UNet.ts for the layer layout). All tensors are NHWC.
 */
export interface UNetConfig {
  /** Channels of the input image (3 for RGB). */
  inChannels: number;
  /** Channels C of the output descriptor map. */
  outChannels: number;
  /** Channel width of each resolution stage; the stem conv maps the input to `widths[0]`. */
  widths: number[];
  /** Residual blocks per encoder stage; the matching decoder stage has one more (it takes the skip). */
  blocks: number[];
  /** Dropout rate inside the residual blocks of each stage (0 = none). */
  dropout: number[];
  /** Self-attention (one head over all pixels) in the bottleneck. */
  attention: boolean;
  /**
   * What each norm layer normalises over: `image`, one group (all pixels and channels of the image:
   * the paper's), or `pixel`, each pixel's own channels (a descriptor then depends on its receptive
   * field only, not on the rest of the view).
   */
  normalization: UNetNormalization;
  /** Epsilon added to the variance in every norm layer. */
  normEpsilon: number;
}

export const UNET_NORMALIZATIONS = ['image', 'pixel'] as const;
export type UNetNormalization = (typeof UNET_NORMALIZATIONS)[number];

/**
 * The paper's 2D configuration (Pogorelyuk et al. 2025, App. B.3): Colored MNIST at 32x32 RGB.
 * The paper does not give the dropout rate; 0.1 is our choice.
 */
export const UNET_2D_CONFIG: Readonly<UNetConfig> = Object.freeze({
  inChannels: 3,
  outChannels: 32,
  widths: [32, 64, 64],
  blocks: [1, 2, 2],
  dropout: [0, 0.1, 0.1],
  attention: false,
  normalization: 'image',
  normEpsilon: 1e-5,
});

/** The paper's 3D configuration (App. C.2): rendered RGB views. Dropout as in the 2D configuration. */
export const UNET_3D_CONFIG: Readonly<UNetConfig> = Object.freeze({
  inChannels: 3,
  outChannels: 32,
  widths: [16, 16, 32, 32, 64],
  blocks: [1, 1, 1, 2, 4],
  dropout: [0, 0, 0, 0.1, 0.1],
  attention: false,
  normalization: 'image',
  normEpsilon: 1e-5,
});

/** Distance between two descriptors, over their C channels (docs/architecture.md#oxel-loss). */
export const LOSS_NORMS = ['inf', 'l1', 'l2'] as const;
/** `inf`: max |diff|; `l1`: mean |diff|; `l2`: mean diff^2. */
export type LossNorm = (typeof LOSS_NORMS)[number];

/** Options of the paper's stable single-pixel contrastive loss (losses/oxelLoss.ts). */
export interface OxelLossOptions {
  /** Descriptor distance. */
  norm: LossNorm;
  /** Weight of the between-image term, in [0, 1]: total = (1 - lambda) * within + lambda * between. */
  lambda: number;
  /** Added to every masked-mean denominator. */
  epsilon: number;
}

export const DEFAULT_OXEL_LOSS_OPTIONS: Readonly<OxelLossOptions> = Object.freeze({
  norm: 'inf',
  lambda: 0.3,
  epsilon: 1e-6,
});

/** AdamW hyperparameters (Loshchilov & Hutter 2019, decoupled weight decay). */
export interface AdamWOptions {
  beta1: number;
  beta2: number;
  epsilon: number;
  /** Decoupled weight decay per unit learning rate: w -= lr * weightDecay * w each step. */
  weightDecay: number;
}

export const DEFAULT_ADAMW_OPTIONS: Readonly<AdamWOptions> = Object.freeze({
  beta1: 0.9,
  beta2: 0.99,
  epsilon: 1e-8,
  weightDecay: 1e-4,
});

/**
 * One-cycle learning-rate schedule: linear warm-up to `peakRate`, then cosine annealing; with
 * `decayFraction` < 1 the rate holds at its peak in between (warm-up, stable, decay).
 */
export interface OneCycleOptions {
  /** Highest learning rate, reached at the end of the warm-up. */
  peakRate: number;
  /** Fraction of all steps spent warming up, in [0, 1). */
  warmupFraction: number;
  /** Fraction of all steps, at the end, over which the rate anneals, in (0, 1]; 1 = right after the warm-up. */
  decayFraction: number;
  /** Rate at step 0, as a fraction of `peakRate` (torch's OneCycleLR: 1 / div_factor = 1/25). */
  initialFraction: number;
  /** Rate at the last step, as a fraction of `peakRate`. */
  finalFraction: number;
}

export const DEFAULT_ONE_CYCLE_OPTIONS: Readonly<OneCycleOptions> = Object.freeze({
  peakRate: 1e-3,
  warmupFraction: 0.05,
  decayFraction: 1,
  initialFraction: 0.04,
  finalFraction: 0,
});

/** Gradients are rescaled so that their global L2 norm is at most this (0 = no clipping). */
export const DEFAULT_CLIP_NORM = 1;
