import { createRng, type Rng } from '@oxels/core';
import { describe, expect, it } from 'vitest';
import type { LossNorm } from '../../constants.ts';
import type { DescriptorMap } from './descriptorMaps.ts';
import { nearestNeighbours } from './nearestNeighbours.ts';
import { pruningAxis } from '../probes/pruningAxis.ts';

const NORMS: LossNorm[] = ['inf', 'l1', 'l2'];

function randomMap(rng: Rng, width: number, height: number, channels: number, levels = 0): DescriptorMap {
  const data = new Float32Array(width * height * channels);
  // levels > 0 quantises the values, so that exact ties between candidates are common.
  for (let i = 0; i < data.length; i++) {
    data[i] = levels ? rng.int(levels) / levels : rng.normal();
  }
  return { data, height, width, channels };
}

/** A map whose channels are strongly correlated (a shared factor plus small noise): PCA helps here. */
function correlatedMap(rng: Rng, width: number, height: number, channels: number): DescriptorMap {
  const data = new Float32Array(width * height * channels);
  for (let p = 0; p < width * height; p++) {
    const f = rng.normal();
    for (let k = 0; k < channels; k++) data[p * channels + k] = (k % 2 ? f : -f) + 0.1 * rng.normal();
  }
  return { data, height, width, channels };
}

function distance(
  a: Float32Array,
  ao: number,
  b: Float32Array,
  bo: number,
  c: number,
  norm: LossNorm,
): number {
  let d = 0;
  for (let k = 0; k < c; k++) {
    const diff = a[ao + k] - b[bo + k];
    if (norm === 'inf') d = Math.max(d, Math.abs(diff));
    else d += norm === 'l1' ? Math.abs(diff) : diff * diff;
  }
  return norm === 'inf' ? d : d / c;
}

/** The oracle: every candidate, full distance, first minimum in row-major order. */
function bruteForce(a: DescriptorMap, queries: Int32Array, b: DescriptorMap, norm: LossNorm): Int32Array {
  const c = a.channels;
  return queries.map((q) => {
    let best = Number.POSITIVE_INFINITY;
    let bestP = -1;
    for (let p = 0; p < b.width * b.height; p++) {
      const d = distance(a.data, q * c, b.data, p * c, c, norm);
      if (d < best) {
        best = d;
        bestP = p;
      }
    }
    return bestP;
  });
}

const allPixels = (map: DescriptorMap) => Int32Array.from({ length: map.width * map.height }, (_, i) => i);

describe('nearestNeighbours', () => {
  for (const norm of NORMS) {
    it(`equals brute force on random maps (seed 3, ${norm})`, () => {
      const rng = createRng(3);
      const a = randomMap(rng, 17, 13, 6);
      const b = randomMap(rng, 19, 11, 6);
      expect(nearestNeighbours(a, allPixels(a), b, norm)).toEqual(bruteForce(a, allPixels(a), b, norm));
    });

    it(`breaks exact ties by the first pixel in row-major order (seed 4, quantised, ${norm})`, () => {
      const rng = createRng(4);
      const a = randomMap(rng, 16, 12, 3, 3);
      const b = randomMap(rng, 16, 12, 3, 3);
      expect(nearestNeighbours(a, allPixels(a), b, norm)).toEqual(bruteForce(a, allPixels(a), b, norm));
    });

    it(`equals brute force on correlated channels (seed 5, ${norm})`, () => {
      const rng = createRng(5);
      const a = correlatedMap(rng, 20, 15, 8);
      const b = correlatedMap(rng, 20, 15, 8);
      expect(nearestNeighbours(a, allPixels(a), b, norm)).toEqual(bruteForce(a, allPixels(a), b, norm));
    });
  }

  it('finds every pixel of a map in itself', () => {
    const map = randomMap(createRng(6), 24, 16, 4);
    expect(nearestNeighbours(map, allPixels(map), map, 'inf')).toEqual(allPixels(map));
  });

  it('rejects mismatched channels and queries outside A', () => {
    const rng = createRng(7);
    const a = randomMap(rng, 4, 4, 3);
    expect(() => nearestNeighbours(a, Int32Array.of(0), randomMap(rng, 4, 4, 2), 'inf')).toThrow(
      /maps have 3 and 2 channels/,
    );
    expect(() => nearestNeighbours(a, Int32Array.of(16), a, 'inf')).toThrow(/query pixel 16 is outside A/);
  });
});

describe('pruningAxis', () => {
  for (const norm of NORMS) {
    it(`bounds key gaps by the distance (Hoelder; seed 8, ${norm})`, () => {
      const rng = createRng(8);
      for (const map of [randomMap(rng, 16, 16, 8), correlatedMap(rng, 16, 16, 8)]) {
        const v = pruningAxis(map, norm);
        const c = map.channels;
        for (let t = 0; t < 500; t++) {
          const i = rng.int(256) * c;
          const j = rng.int(256) * c;
          let gap = 0;
          for (let k = 0; k < c; k++) gap += v[k] * (map.data[i + k] - map.data[j + k]);
          // The search's own distance: max, sum or sum of squares (no 1/C).
          const d = distance(map.data, i, map.data, j, c, norm) * (norm === 'inf' ? 1 : c);
          expect(norm === 'l2' ? gap * gap : Math.abs(gap)).toBeLessThanOrEqual(d + 1e-9);
        }
      }
    });
  }

  it('takes the widest channel for independent channels (inf) and the principal axis for correlated ones', () => {
    const rng = createRng(9);
    const map = randomMap(rng, 16, 16, 4);
    for (let p = 0; p < 256; p++) map.data[p * 4 + 2] *= 5;
    // For inf the principal axis pays its l1 norm (> 1 off the channel axes), so the channel wins.
    expect(Array.from(pruningAxis(map, 'inf'))).toEqual([0, 0, 1, 0]);
    const v = pruningAxis(correlatedMap(rng, 16, 16, 6), 'l2');
    // Unit length (the dual of l2 is l2), alternating signs like the shared factor.
    expect(Math.hypot(...v)).toBeCloseTo(1, 6);
    for (let k = 1; k < 6; k++) expect(Math.sign(v[k])).toBe(-Math.sign(v[k - 1]));
  });
});
