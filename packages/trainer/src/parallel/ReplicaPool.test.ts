import { createRng } from '@oxels/core';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/initBackend.ts';
import type { LossBatch } from '../data/viewPairs/LossBatch.ts';
import { UNet } from '../model/UNet.ts';
import { ReplicaPool, splitPairs } from './ReplicaPool.ts';
import { disposeTrainBatch, toTrainBatch } from '../data/toTrainBatch.ts';
import { lossAndGradients } from '../objectives/trainStep.ts';
import { TINY_UNET_CONFIG as TINY } from '../model/tinyUNetConfig.ts';

/** B pairs of random s x s images, n samples per pair (every 4th a "positive"), with validity masks. */
function randomBatch(seed: number, b: number, s: number, n: number): LossBatch {
  const rng = createRng(seed);
  const hw = s * s;
  return {
    batchSize: b,
    width: s,
    height: s,
    samples: n,
    view1: Float32Array.from({ length: b * hw * 3 }, () => rng.next()),
    view2: Float32Array.from({ length: b * hw * 3 }, () => rng.next()),
    idx1: Int32Array.from({ length: b * n }, () => rng.int(hw)),
    idx2: Int32Array.from({ length: b * n }, () => rng.int(hw)),
    isPositive: Uint8Array.from({ length: b * n }, (_, i) => (i % 4 === 0 ? 1 : 0)),
    mask1: Uint8Array.from({ length: b * hw }, () => (rng.next() < 0.9 ? 1 : 0)),
    mask2: Uint8Array.from({ length: b * hw }, () => (rng.next() < 0.9 ? 1 : 0)),
  };
}

describe('ReplicaPool', () => {
  let pool: ReplicaPool;
  beforeAll(async () => {
    await initBackend('wasm', { threads: 1 });
    pool = await ReplicaPool.start(TINY, 2, 1);
  }, 60_000);
  afterAll(() => pool.close());

  it('splits pairs evenly, never giving a replica none', () => {
    expect(splitPairs(5, 2)).toEqual([
      [0, 3],
      [3, 2],
    ]);
    expect(splitPairs(1, 2)).toEqual([[0, 1]]);
    expect(splitPairs(8, 3)).toEqual([
      [0, 3],
      [3, 3],
      [6, 2],
    ]);
  });

  for (const [pairs, lambda] of [
    [3, 0.5],
    [1, 0.9],
  ] as const) {
    it(`gives the loss and gradients of the whole batch on one thread (${pairs} pairs, lambda ${lambda})`, async () => {
      const model = new UNet(TINY, 3);
      const batch = randomBatch(pairs, pairs, 16, 40);
      const options = { loss: { norm: 'inf' as const, lambda }, seed: 5 };
      const tensors = toTrainBatch(batch);
      const single = lossAndGradients(model, tensors, options);
      const split = await pool.lossAndGradients(model, batch, options);
      // Tolerances. The replicas run the same kernels on a share of the pairs (dropout is off in TINY),
      // and the loss runs on the main thread on the same descriptors: the loss differs only where the
      // descriptors do, by the summation order of the one-group norm's statistics (float32 eps 6e-8
      // times the few dozen summands per partial sum): |diff| < 5e-7 (toBeCloseTo(.., 6)) on losses
      // of 0.1-1. A gradient entry is a sum over the batch's pixels; split, each replica sums its
      // pairs and the main thread adds the replicas' sums: at most 16 * 16 * 3 = 768 products per
      // entry here, whose reordering moves the sum by a few hundred eps of its largest partial sums,
      // i.e. below 1e-5 of the largest gradient entry (measured: 8e-7 with 3 pairs, 0 with 1). A wrong share (a
      // pair dropped, counted twice, or the loss gradient split wrongly) changes entries by 1e-2 of it.
      expect(split.loss.dataSync()[0]).toBeCloseTo(single.loss.dataSync()[0], 6);
      expect(split.between.dataSync()[0]).toBeCloseTo(single.between.dataSync()[0], 6);
      expect([...split.grads.keys()]).toEqual([...single.grads.keys()]);
      let largest = 0;
      let worst = 0;
      for (const [name, g] of single.grads) {
        const a = g.dataSync();
        const b = split.grads.get(name)!.dataSync();
        for (let i = 0; i < a.length; i++) {
          largest = Math.max(largest, Math.abs(a[i]));
          worst = Math.max(worst, Math.abs(a[i] - b[i]));
        }
      }
      expect(largest).toBeGreaterThan(1e-3);
      expect(worst).toBeLessThan(1e-5 * Math.max(1, largest));
      tf.dispose([
        ...Object.values(tensors),
        single.loss,
        single.within,
        single.between,
        ...single.grads.values(),
      ]);
      tf.dispose([split.loss, split.within, split.between, ...split.grads.values()]);
      model.dispose();
    }, 60_000);
  }

  it('mines hard negatives in the replicas as lossAndGradients does on one thread, leaking nothing', async () => {
    const model = new UNet(TINY, 3);
    const { mask1: _, mask2: __, ...plain } = randomBatch(11, 3, 16, 40);
    // Every 4th sample is a positive; the one after it becomes a mined negative of the same view-1 pixel.
    const mined = Uint8Array.from({ length: 3 * 40 }, (_, i) => (i % 4 === 1 ? 1 : 0));
    mined.forEach((m, i) => {
      if (m) [plain.idx1[i], plain.idx2[i]] = [plain.idx1[i - 1], plain.idx2[i - 1]];
    });
    const batch: LossBatch = { ...plain, hard: { mined, radius: 2 } };
    const options = { loss: { norm: 'inf' as const, lambda: 0.3 }, seed: 2 };
    const tensors = toTrainBatch(batch);
    const single = lossAndGradients(model, tensors, options);
    const unmined = lossAndGradients(model, { ...tensors, hard: undefined }, options);
    const split = await pool.lossAndGradients(model, batch, options);
    const before = [...pool.liveTensors];
    const loss = single.loss.dataSync()[0];
    expect(split.loss.dataSync()[0]).toBeCloseTo(loss, 6);
    // Mined partners are the most similar pixels: negatives that cost more than the random placeholders did.
    expect(single.within.dataSync()[0]).toBeGreaterThan(unmined.within.dataSync()[0] + 1e-3);
    await pool.lossAndGradients(model, batch, options).then((g) => {
      tf.dispose([g.loss, g.within, g.between, ...g.grads.values()]);
    });
    expect(pool.liveTensors).toEqual(before);
    for (const g of [single, unmined, split]) tf.dispose([g.loss, g.within, g.between, ...g.grads.values()]);
    disposeTrainBatch(tensors);
    model.dispose();
  }, 60_000);

  it('leaves no tensors behind in the replicas or on the calling thread, step after step', async () => {
    const model = new UNet(TINY, 3);
    const batch = randomBatch(7, 3, 16, 40);
    const counts: number[][] = [];
    for (let step = 0; step < 3; step++) {
      const g = await pool.lossAndGradients(model, batch, { loss: {}, seed: step });
      tf.dispose([g.loss, g.within, g.between, ...g.grads.values()]);
      counts.push([...pool.liveTensors, tf.memory().numTensors]);
    }
    expect(counts[0].length).toBe(3);
    // Each replica holds its model's variables.
    expect(Math.min(counts[0][0], counts[0][1])).toBeGreaterThanOrEqual(TINY.widths.length);
    expect(counts[2]).toEqual(counts[0]);
    expect(counts[1]).toEqual(counts[0]);
    model.dispose();
  }, 60_000);

  it('refuses a batch whose arrays disagree with its sizes, naming the array', async () => {
    const model = new UNet(TINY, 3);
    const short = { ...randomBatch(1, 2, 16, 8), height: 12 };
    await expect(pool.lossAndGradients(model, short, { loss: {}, seed: 0 })).rejects.toThrow(
      /batch.view1 has/,
    );
    const outside = randomBatch(1, 2, 16, 8);
    outside.idx2[3] = 256;
    await expect(pool.lossAndGradients(model, outside, { loss: {}, seed: 0 })).rejects.toThrow(
      /idx2\[3\] = 256 lies outside/,
    );
    model.dispose();
  });

  it("rejects with a replica's own error, then refuses further steps (last: it breaks the pool)", async () => {
    const model = new UNet(TINY, 3);
    // 15 px is no multiple of the U-Net's 2: the replicas' forward pass throws.
    const odd = randomBatch(1, 2, 15, 8);
    await expect(pool.lossAndGradients(model, odd, { loss: {}, seed: 0 })).rejects.toThrow(
      /replica: .*multiples of 2/,
    );
    const good = randomBatch(1, 2, 16, 8);
    await expect(pool.lossAndGradients(model, good, { loss: {}, seed: 0 })).rejects.toThrow(/failed earlier/);
    model.dispose();
  }, 60_000);
});
