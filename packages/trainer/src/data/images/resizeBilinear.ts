import { assert } from '../../errors.ts';
import { type Image2D, validateImage2D } from '../warp/Image2D.ts';

/** Filter taps of one axis: output i reads input start[i] ... start[i] + taps - 1 with the given weights. */
interface AxisFilter {
  start: Int32Array;
  taps: number;
  /** [outSize, taps], each row sums to 1. */
  weights: Float32Array;
}

/**
 * Triangle-filter taps mapping `inSize` samples to `outSize`, pixel centres at +0.5 (half-pixel aligned,
 * like torch's align_corners=False). Upsampling gives plain bilinear interpolation; downsampling widens
 * the triangle by the scale factor so that every input pixel contributes (antialiasing, as PIL's
 * BILINEAR and torch's antialias=True). Taps that fall outside the input are dropped and the rest
 * renormalised, which equals edge clamping when upsampling.
 */
function axisFilter(inSize: number, outSize: number): AxisFilter {
  const scale = inSize / outSize;
  const support = Math.max(1, scale);
  const taps = Math.ceil(support) * 2;
  const start = new Int32Array(outSize);
  const weights = new Float32Array(outSize * taps);
  for (let i = 0; i < outSize; i++) {
    const centre = (i + 0.5) * scale;
    // Input pixel j (centre j + 0.5) has a non-zero weight iff |j + 0.5 - centre| < support: at most
    // 2 * ceil(support) of them.
    const first = Math.max(0, Math.floor(centre - support - 0.5) + 1);
    const last = Math.min(inSize - 1, Math.ceil(centre + support - 0.5) - 1);
    start[i] = first;
    let sum = 0;
    for (let j = first; j <= last; j++) {
      const w = Math.max(0, 1 - Math.abs(j + 0.5 - centre) / support);
      weights[i * taps + (j - first)] = w;
      sum += w;
    }
    for (let k = 0; k < taps; k++) weights[i * taps + k] /= sum;
  }
  return { start, taps, weights };
}

/**
 * Resizes an image to `width` x `height` with a separable (antialiased when shrinking) bilinear filter.
 * Returns a new [height, width, channels] float32 image; the input is not modified. Any aspect change is
 * a stretch.
 */
export function resizeBilinear(image: Image2D, width: number, height: number): Image2D {
  validateImage2D(image, 'resizeBilinear');
  assert(
    Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0,
    'BAD_ARGUMENT',
    () => `resizeBilinear: output size must be positive integers (got ${width}x${height})`,
  );
  const { channels: ch, data } = image;
  if (width === image.width && height === image.height) return { ...image, data: data.slice() };
  const fx = axisFilter(image.width, width);
  const fy = axisFilter(image.height, height);
  // Horizontal pass: [inH, inW, C] -> [inH, outW, C].
  const tmp = new Float32Array(image.height * width * ch);
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * ch;
      for (let k = 0; k < fx.taps; k++) {
        const w = fx.weights[x * fx.taps + k];
        if (w === 0) continue;
        const s = (y * image.width + fx.start[x] + k) * ch;
        for (let c = 0; c < ch; c++) tmp[o + c] += w * data[s + c];
      }
    }
  }
  // Vertical pass: [inH, outW, C] -> [outH, outW, C].
  const out = new Float32Array(height * width * ch);
  for (let y = 0; y < height; y++) {
    for (let k = 0; k < fy.taps; k++) {
      const w = fy.weights[y * fy.taps + k];
      if (w === 0) continue;
      const s = (fy.start[y] + k) * width * ch;
      const o = y * width * ch;
      for (let i = 0; i < width * ch; i++) out[o + i] += w * tmp[s + i];
    }
  }
  return { width, height, channels: ch, data: out };
}
