import * as tf from '@tensorflow/tfjs-core';

// TensorFlow ops that tfjs has no kernel for, called through tfjs-node's binding: the
// `tensorflow` backend only. Each takes and returns ordinary tfjs tensors.

/** The part of tfjs-node's backend these calls use. */
interface NodeBackend {
  binding: Record<'TF_ATTR_TYPE' | 'TF_ATTR_FLOAT' | 'TF_ATTR_STRING' | 'TF_ATTR_BOOL' | 'TF_FLOAT', number>;
  executeSingleOutput(
    name: string,
    attrs: { name: string; type: number; value: unknown }[],
    inputs: tf.Tensor[],
  ): tf.Tensor;
  executeMultipleOutputs(
    name: string,
    attrs: { name: string; type: number; value: unknown }[],
    inputs: tf.Tensor[],
    outputs: number,
  ): tf.Tensor[];
}

function nodeBackend(): NodeBackend {
  return tf.backend() as unknown as NodeBackend;
}

function batchNormAttrs(b: NodeBackend, epsilon: number) {
  const { TF_ATTR_TYPE, TF_ATTR_FLOAT, TF_ATTR_STRING, TF_ATTR_BOOL, TF_FLOAT } = b.binding;
  return [
    { name: 'T', type: TF_ATTR_TYPE, value: TF_FLOAT },
    { name: 'U', type: TF_ATTR_TYPE, value: TF_FLOAT },
    { name: 'epsilon', type: TF_ATTR_FLOAT, value: epsilon },
    // NCHW with the rows as channels: statistics per row, over the row's N values.
    { name: 'data_format', type: TF_ATTR_STRING, value: 'NCHW' },
    { name: 'is_training', type: TF_ATTR_BOOL, value: true },
  ];
}

/**
 * (x - mean) / sqrt(var + epsilon) of each row of `x` [R, N], mean and (biased) variance over the
 * row, with its gradient: TensorFlow's FusedBatchNormV3 / FusedBatchNormGradV3 in training mode,
 * the rows seen as the channels of a [1, R, N, 1] NCHW batch. Two kernels, where the same
 * normalisation in element-wise tfjs ops is about fifteen each way.
 */
export function normalizeRows(x: tf.Tensor2D, epsilon: number): tf.Tensor2D {
  const [r, n] = x.shape;
  return tf.customGrad((xi, save) => {
    const b = nodeBackend();
    const attrs = batchNormAttrs(b, epsilon);
    const ones = tf.ones([r]);
    const x4 = tf.reshape(xi as tf.Tensor, [1, r, n, 1]);
    const empty = tf.tensor1d([]);
    const [y, , , ...reserve] = b.executeMultipleOutputs(
      'FusedBatchNormV3',
      attrs,
      [x4, ones, tf.zeros([r]), empty, empty],
      6,
    );
    (save as tf.GradSaveFunc)([x4, ones, ...reserve]);
    return {
      value: tf.reshape(y, [r, n]) as tf.Tensor2D,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) =>
        tf.tidy(() => {
          const [sx, sones, ...sreserve] = saved;
          const inputs = [tf.reshape(dy, [1, r, n, 1]), sx, sones, ...sreserve];
          const [dx] = b.executeMultipleOutputs('FusedBatchNormGradV3', attrs, inputs, 5);
          return tf.reshape(dx, [r, n]);
        }),
    };
  })(x) as tf.Tensor2D;
}

/**
 * silu(x * gamma + beta) with gamma, beta per channel (the last axis), with a hand-written gradient
 * around TensorFlow's SigmoidGrad: 4 kernels forward and 8 backward, where tfjs's automatic
 * differentiation of the same expression runs 12 backward (most of them passes over the whole
 * activation).
 */
export function affineSilu(x: tf.Tensor4D, gamma: tf.Tensor1D, beta: tf.Tensor1D): tf.Tensor4D {
  return tf.customGrad((xi, gi, bi, save) => {
    const y = tf.add(tf.mul(xi as tf.Tensor, gi as tf.Tensor), bi as tf.Tensor);
    const s = tf.sigmoid(y);
    (save as tf.GradSaveFunc)([xi as tf.Tensor, gi as tf.Tensor, y, s]);
    return {
      value: tf.mul(y, s) as tf.Tensor4D,
      gradFunc: (dout: tf.Tensor, saved: tf.Tensor[]) =>
        tf.tidy(() => {
          const [sx, sgamma, sy, ss] = saved;
          const b = nodeBackend();
          const type = [{ name: 'T', type: b.binding.TF_ATTR_TYPE, value: b.binding.TF_FLOAT }];
          // d(y s)/dy = s + y s (1 - s); SigmoidGrad(s, g) = g s (1 - s).
          const dy = tf.add(
            tf.mul(dout, ss),
            b.executeSingleOutput('SigmoidGrad', type, [ss, tf.mul(dout, sy)]),
          );
          const axes = [0, 1, 2];
          return [tf.mul(dy, sgamma), tf.sum(tf.mul(dy, sx), axes), tf.sum(dy, axes)];
        }),
    };
  })(x, gamma, beta) as tf.Tensor4D;
}
