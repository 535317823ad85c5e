import * as tf from '@tensorflow/tfjs-core';
import { assert } from '../../errors.ts';

const mm = (a: tf.Tensor2D, b: tf.Tensor2D) => tf.matMul(a, b) as tf.Tensor2D;
const t2 = (a: tf.Tensor2D) => tf.transpose(a) as tf.Tensor2D;

/**
 * Scaled dot-product self-attention, one head, per image: softmax(q k^T / sqrt(C)) v, with its gradient.
 * Same values as the textbook batched formula, computed image by image with 2D matMuls and explicit
 * transposes: tfjs-wasm's BatchMatMul (batch > 1) and its transposed-operand matMuls run 5-7x slower
 * than a plain 2D matMul of the same work (measured on [8, 1024, 32] operands).
 * @param q [B, P, C] queries
 * @param k [B, P, C] keys
 * @param v [B, P, C] values
 * @returns [B, P, C] attended values
 */
export function pixelAttention(q: tf.Tensor3D, k: tf.Tensor3D, v: tf.Tensor3D): tf.Tensor3D {
  assert(
    q.rank === 3 && [k, v].every((t) => t.rank === 3 && t.shape.every((d, i) => d === q.shape[i])),
    'BAD_ARGUMENT',
    () =>
      `pixelAttention: q, k, v must share a shape [B, P, C] (got [${q.shape}], [${k.shape}], [${v.shape}])`,
  );
  const [b] = q.shape;
  const scale = 1 / Math.sqrt(q.shape[2]);
  const op = tf.customGrad((qIn, kIn, vIn, save) => {
    const qs = tf.unstack(qIn as tf.Tensor) as tf.Tensor2D[];
    const ks = tf.unstack(kIn as tf.Tensor) as tf.Tensor2D[];
    const vs = tf.unstack(vIn as tf.Tensor) as tf.Tensor2D[];
    const weights = qs.map((qi, i) => tf.softmax(tf.mul(mm(qi, t2(ks[i])), scale)) as tf.Tensor2D);
    // The per-image pieces are saved as they are, which spares the backward pass unstacking them again.
    (save as tf.GradSaveFunc)([...qs, ...ks, ...vs, ...weights]);
    return {
      value: tf.stack(weights.map((w, i) => mm(w, vs[i]))),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const part = (j: number) => saved.slice(j * b, (j + 1) * b) as tf.Tensor2D[];
        const [qS, kS, vS, aS] = [part(0), part(1), part(2), part(3)];
        const dq: tf.Tensor2D[] = [];
        const dk: tf.Tensor2D[] = [];
        const dv: tf.Tensor2D[] = [];
        (tf.unstack(dy) as tf.Tensor2D[]).forEach((dyi, i) => {
          const a = aS[i];
          dv.push(mm(t2(a), dyi));
          const da = mm(dyi, t2(vS[i]));
          // Softmax backward: ds = a * (da - rowsum(da * a)); the 1/sqrt(C) scale goes onto ds.
          const ds: tf.Tensor2D = tf.mul(tf.mul(a, tf.sub(da, tf.sum(tf.mul(da, a), 1, true))), scale);
          dq.push(mm(ds, kS[i]));
          dk.push(mm(t2(ds), qS[i]));
        });
        return [tf.stack(dq), tf.stack(dk), tf.stack(dv)];
      },
    };
  });
  return op(q, k, v) as tf.Tensor3D;
}
