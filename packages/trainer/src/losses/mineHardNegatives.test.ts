import { createRng } from '@oxels/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/initBackend.ts';
import { mineHardNegatives } from './mineHardNegatives.ts';

const [B, H, W, C] = [2, 12, 16, 8];

/** Random descriptors for B pairs stacked as [2B, H, W, C], as plain values to edit before use. */
function randomDescriptors(seed: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: 2 * B * H * W * C }, () => rng.uniform(-1, 1));
}

/** Copies the descriptor of pixel `from` of image `a` onto pixel `to` of image `b`, plus `noise` on channel 0. */
function copyPixel(o: Float32Array, a: number, from: number, b: number, to: number, noise = 0): void {
  const at = (image: number, pixel: number) => (image * H * W + pixel) * C;
  o.set(o.subarray(at(a, from), at(a, from) + C), at(b, to));
  o[at(b, to)] += noise;
}

const pixel = (x: number, y: number) => y * W + x;

describe('mineHardNegatives', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });

  it("picks view 2's pixel with the query's descriptor, and leaves unmined samples alone", () => {
    // Candidates are the pixels of even row and column.
    const values = randomDescriptors(1);
    // Pair 1: the query (view 1, pixel (3, 4)) reappears in view 2 at (12, 8), far from its match (2, 2).
    copyPixel(values, 1, pixel(3, 4), B + 1, pixel(12, 8));
    const o = tf.tensor4d(values, [2 * B, H, W, C]);
    const idx1 = Int32Array.from([pixel(0, 0), pixel(5, 5), pixel(1, 1), pixel(3, 4)]);
    const idx2 = Int32Array.from([pixel(7, 7), pixel(6, 5), pixel(9, 9), pixel(2, 2)]);
    const mined = Uint8Array.from([0, 0, 0, 1]);
    const out = mineHardNegatives(o, idx1, idx2, { mined, radius: 2 });
    expect([...out]).toEqual([pixel(7, 7), pixel(6, 5), pixel(9, 9), pixel(12, 8)]);
    expect([...idx2]).toEqual([pixel(7, 7), pixel(6, 5), pixel(9, 9), pixel(2, 2)]);
    o.dispose();
  });

  it('never returns a pixel within the radius of the true match, even the most similar one', () => {
    const values = randomDescriptors(2);
    const query = pixel(8, 6);
    // The true match (10, 6) and its neighbour (12, 6) are exact copies; (2, 2) a close one.
    copyPixel(values, 0, query, B, pixel(10, 6));
    copyPixel(values, 0, query, B, pixel(12, 6));
    copyPixel(values, 0, query, B, pixel(2, 2), 0.05);
    const o = tf.tensor4d(values, [2 * B, H, W, C]);
    const mine = (radius: number) =>
      mineHardNegatives(o, Int32Array.from([query, 0]), Int32Array.from([pixel(10, 6), 0]), {
        mined: Uint8Array.from([1, 0]),
        radius,
      })[0];
    // B = 2 pairs of N = 1 sample: the second pair's sample is not mined.
    expect(mine(0)).toBe(pixel(12, 6));
    expect(mine(1)).toBe(pixel(12, 6));
    expect(mine(2)).toBe(pixel(2, 2));
    o.dispose();
  });

  it('rejects arrays that do not match the descriptors', () => {
    const o = tf.zeros([2 * B, H, W, C]) as tf.Tensor4D;
    expect(() =>
      mineHardNegatives(o, new Int32Array(3), new Int32Array(3), { mined: new Uint8Array(3), radius: 1 }),
    ).toThrow(/mineHardNegatives: o \[4,12,16,8\] needs/);
    expect(() =>
      mineHardNegatives(o, new Int32Array(2), new Int32Array(2), { mined: new Uint8Array(2), radius: -1 }),
    ).toThrow(/radius must be >= 0/);
    expect(() =>
      mineHardNegatives(o, new Int32Array(2), new Int32Array(2), { mined: new Uint8Array(2), radius: 8 }),
    ).toThrow(/leave pixels outside it in 16x12 \(got 8\)/);
    o.dispose();
  });
});
