import type { HardNegatives } from '../../losses/mineHardNegatives.ts';

/**
 * What the training loop needs of a batch, whichever mode made it (2D warps or 3D view pairs): B pairs
 * of H x W RGB images and N sampled view-1 pixels per pair with their view-2 partners. Plain typed
 * arrays (they cross worker threads); `toTrainBatch` turns them into tensors.
 */
export interface LossBatch {
  batchSize: number;
  width: number;
  height: number;
  /** N, sampled pixels per pair. */
  samples: number;
  /** [B, H, W, 3] float32 in [0, 1]. */
  view1: Float32Array;
  view2: Float32Array;
  /** [B, N] int32 flat pixel index y * W + x in view 1. */
  idx1: Int32Array;
  /** [B, N] int32 partner in view 2: the true match for positives, a random pixel for negatives. */
  idx2: Int32Array;
  /** [B, N] uint8: 1 for positives. */
  isPositive: Uint8Array;
  /** [B, H, W] uint8 validity of each view's pixels; absent means all valid. */
  mask1?: Uint8Array;
  mask2?: Uint8Array;
  /** Samples whose partner the training step mines (3D mode with hard negatives). */
  hard?: HardNegatives;
}
