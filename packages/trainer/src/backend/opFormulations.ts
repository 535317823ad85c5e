import * as tf from '@tensorflow/tfjs-core';

/**
 * How the U-Net's ops and the optimiser are computed. The maths is the same either way (tested:
 * backendParity.test.ts, ops.test.ts); what differs is which kernels run, and the fastest choice
 * depends on the backend. `scripts/bench-kernels` times every choice on the current backend.
 */
export interface OpFormulations {
  /**
   * Convolution gradients: the backend's Conv2DBackpropInput/Filter; forward convolutions; or the
   * input gradient as a forward convolution and the filter gradient as k^2 long matrix products.
   */
  convGradients: 'native' | 'forwardConvs' | 'matMul';
  /** Norm + SiLU: TensorFlow's FusedBatchNormV3 and SigmoidGrad, or element-wise ops by hand. */
  norm: 'fusedBatchNorm' | 'elementwise';
  /** AdamW: all parameters as one flat vector, or one set of ops per parameter. */
  adamw: 'flat' | 'perParameter';
  /** Gradient of the 2x nearest upsampling: ResizeNearestNeighborGrad, or a 2x2 average pool. */
  upsampleGradient: 'native' | 'avgPool';
  /** Sum over all axes but the last: Sum, or one average pool. */
  channelSum: 'sum' | 'avgPool';
  /** The decoder's [running, skip] input: concatenated, or kept as parts (never built). */
  decoderInput: 'concat' | 'parts';
}

/**
 * wasm (and the cpu reference) keep what its kernels are fast at: XNNPACK's forward convolutions
 * (its Conv2DBackpropInput is ~14x slower, Conv2DBackpropFilter missing), average pools (its Sum
 * transposes first), per-parameter AdamW (its SplitV takes 250 ms for the U-Net's 132 parameters),
 * no concat of decoder inputs (50-150 ms per 3D tensor). tfjs-backend-cpu's
 * ResizeNearestNeighborGrad is wrong for batches of more than one image.
 */
const PORTABLE: Readonly<OpFormulations> = Object.freeze({
  convGradients: 'forwardConvs',
  norm: 'elementwise',
  adamw: 'perParameter',
  upsampleGradient: 'avgPool',
  channelSum: 'avgPool',
  decoderInput: 'parts',
});

/**
 * libtensorflow: each kernel call costs 15-50 us through tfjs-node, so fewer and larger kernels win;
 * its own conv gradient kernels use oneDNN. Measured by scripts/bench-kernels (forward + backward,
 * 2D / 3D shapes, 2 threads): native conv gradients 1.43 / 1.22x, fused norm 1.30 / 1.08x, flat AdamW
 * 2.2 / 4.5x, decoder concat 1.05 / 1.03x (whole step); ResizeNearestNeighborGrad 1.08x faster in 2D
 * but 0.84x in 3D, so the average pool stays; Sum against the pool 1.29x / 0.80x on 0.2-0.7 ms, kept
 * for its fewer kernels.
 */
const TENSORFLOW: Readonly<OpFormulations> = Object.freeze({
  convGradients: 'native',
  norm: 'fusedBatchNorm',
  adamw: 'flat',
  upsampleGradient: 'avgPool',
  channelSum: 'sum',
  decoderInput: 'concat',
});

const BY_BACKEND: Readonly<Record<string, Readonly<OpFormulations>>> = {
  tensorflow: TENSORFLOW,
  // A GPU pays per dispatch too. tfjs-webgpu's Conv2DBackpropFilter runs one thread per weight over
  // the whole batch: the filter gradient goes to split-K matrix products instead.
  webgpu: { ...PORTABLE, adamw: 'flat', convGradients: 'matMul' },
};

let overrides: Partial<OpFormulations> = {};

/** The formulations in force on the current tfjs backend. */
export function opFormulations(): OpFormulations {
  return { ...(BY_BACKEND[tf.getBackend()] ?? PORTABLE), ...overrides };
}

/**
 * Forces formulations regardless of the backend (benchmarks and tests); `{}` restores the
 * backend's own. A fusedBatchNorm norm needs the tensorflow backend.
 */
export function setOpFormulations(forced: Partial<OpFormulations>): void {
  overrides = { ...forced };
}
