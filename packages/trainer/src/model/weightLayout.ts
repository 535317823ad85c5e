import { assert } from '../errors.ts';
import type { WeightArray } from './UNet.ts';

/**
 * A conv kernel from tfjs's [kh, kw, Cin, Cout] (HWIO) layout to PyTorch's Conv2d [Cout, Cin, kh, kw]
 * (OIHW), e.g. to write a safetensors file that `torch.nn.Module.load_state_dict` accepts. Weights of
 * other ranks (biases, norm scales) are returned as they are.
 */
export function hwioToOihw(w: WeightArray): WeightArray {
  if (w.shape.length !== 4) return w;
  const [h, wd, i, o] = w.shape;
  return { shape: [o, i, h, wd], data: permute(w.data, [h, wd, i, o], [3, 2, 0, 1]) };
}

/** The inverse of `hwioToOihw`: PyTorch's [Cout, Cin, kh, kw] to tfjs's [kh, kw, Cin, Cout]. */
export function oihwToHwio(w: WeightArray): WeightArray {
  if (w.shape.length !== 4) return w;
  const [o, i, h, wd] = w.shape;
  return { shape: [h, wd, i, o], data: permute(w.data, [o, i, h, wd], [2, 3, 1, 0]) };
}

/** Row-major transpose of a 4D array: output axis k is input axis `axes[k]`. */
function permute(data: Float32Array, shape: number[], axes: number[]): Float32Array {
  assert(
    data.length === shape.reduce((a, b) => a * b, 1),
    'BAD_ARGUMENT',
    () => `weightLayout: ${data.length} values do not fill shape [${shape}]`,
  );
  const outShape = axes.map((a) => shape[a]);
  const inStrides = [shape[1] * shape[2] * shape[3], shape[2] * shape[3], shape[3], 1];
  const s = axes.map((a) => inStrides[a]);
  const out = new Float32Array(data.length);
  let k = 0;
  for (let a = 0; a < outShape[0]; a++)
    for (let b = 0; b < outShape[1]; b++)
      for (let c = 0; c < outShape[2]; c++)
        for (let d = 0; d < outShape[3]; d++) out[k++] = data[a * s[0] + b * s[1] + c * s[2] + d * s[3]];
  return out;
}
