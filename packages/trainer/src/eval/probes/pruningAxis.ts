import type { LossNorm } from '../../constants.ts';
import type { DescriptorMap } from '../correspondence/descriptorMaps.ts';

/** Pixels used to estimate channel covariances: enough for a stable leading axis, cheap at 640x480. */
const COVARIANCE_PIXELS = 20_000;
const POWER_ITERATIONS = 60;

/**
 * Norm of v dual to the search norm, so that |v . (x - y)| <= dual(v) * dist(x, y): Hoelder's inequality
 * with dist = max |diff| (inf; dual l1), sum |diff| (l1; dual max |v|) or sqrt(sum diff^2) (l2; dual l2).
 */
function dualNorm(v: Float64Array, norm: LossNorm): number {
  let s = 0;
  for (const x of v) {
    if (norm === 'inf') s += Math.abs(x);
    else if (norm === 'l1') s = Math.max(s, Math.abs(x));
    else s += x * x;
  }
  return norm === 'l2' ? Math.sqrt(s) : s;
}

/**
 * A direction v along which the descriptors of `map` spread the most per unit of dual norm: the key
 * v . x of two descriptors then differs by at most their distance (inf: max |diff|; l1: sum |diff|;
 * l2: sqrt of the sum of squares), so a gap in keys prunes nearest-neighbour candidates. Chosen between
 * the channel axes (each exact: the key is the channel itself) and the leading principal axis (power
 * iteration on the channel covariance of up to 20k pixels), by the variance of the key. Pure.
 * @returns float64 [C], already divided by its dual norm
 */
export function pruningAxis(map: DescriptorMap, norm: LossNorm): Float64Array {
  const { data, channels: c } = map;
  const n = map.width * map.height;
  const stride = Math.max(1, Math.floor(n / COVARIANCE_PIXELS));
  const mean = new Float64Array(c);
  const cov = new Float64Array(c * c);
  let m = 0;
  for (let p = 0; p < n; p += stride, m++) for (let k = 0; k < c; k++) mean[k] += data[p * c + k];
  for (let k = 0; k < c; k++) mean[k] /= m;
  for (let p = 0; p < n; p += stride) {
    const o = p * c;
    for (let i = 0; i < c; i++) {
      const di = data[o + i] - mean[i];
      for (let j = i; j < c; j++) cov[i * c + j] += di * (data[o + j] - mean[j]);
    }
  }
  for (let i = 0; i < c; i++) {
    for (let j = i; j < c; j++) {
      cov[i * c + j] /= m;
      cov[j * c + i] = cov[i * c + j];
    }
  }

  let bestChannel = 0;
  for (let k = 1; k < c; k++) if (cov[k * c + k] > cov[bestChannel * c + bestChannel]) bestChannel = k;
  const channelVariance = cov[bestChannel * c + bestChannel];
  const axis = new Float64Array(c);
  axis[bestChannel] = 1;

  // Leading eigenvector by power iteration from the all-ones direction (deterministic).
  let v = new Float64Array(c).fill(1 / Math.sqrt(c));
  let lambda = 0;
  for (let it = 0; it < POWER_ITERATIONS; it++) {
    const w = new Float64Array(c);
    for (let i = 0; i < c; i++) for (let j = 0; j < c; j++) w[i] += cov[i * c + j] * v[j];
    const len = Math.hypot(...w);
    if (len === 0) break;
    lambda = len;
    v = w.map((x) => x / len);
  }
  const dual = dualNorm(v, norm);
  // The key v . x / dual(v) has variance lambda / dual(v)^2 along the principal axis.
  return lambda > 0 && dual > 0 && lambda / (dual * dual) > channelVariance ? v.map((x) => x / dual) : axis;
}
