import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { AsyncQueue, startModuleWorker, deriveSeed } from '@oxels/core';
import * as tf from '@tensorflow/tfjs-core';
import type { OxelLossOptions, UNetConfig } from '../constants.ts';
import type { LossBatch } from '../data/viewPairs/LossBatch.ts';
import { assert, TrainerError } from '../errors.ts';
import type { HardNegatives } from '../losses/mineHardNegatives.ts';
import { oxelLossOnSamples, sampledMask } from '../losses/oxelLoss.ts';
import type { UNet } from '../model/UNet.ts';
import { flattenParameters, unflattenLike } from '../optim/flatParameters.ts';
import type { LossAndGradients } from '../objectives/trainStep.ts';

/** Bytes before the loss gradient in a replica's exchange buffer: an Int32 flag, padded. */
export const EXCHANGE_HEADER_BYTES = 16;

/** One step's share of the batch for one replica (main thread -> replicaWorker). */
export interface ReplicaStep {
  /** All parameters, in `UNet.parameters` order (`flattenParameters`). */
  weights: Float32Array;
  pairs: number;
  height: number;
  width: number;
  samples: number;
  /** [2 * pairs, H, W, 3]: view 1 of the replica's pairs, then their view 2. */
  views: Float32Array;
  idx1: Int32Array;
  idx2: Int32Array;
  /** The replica's share of `LossBatch.hard`: its samples to mine. */
  hard?: HardNegatives;
  /** Dropout seed of this replica in this step. */
  seed: number;
  /** Flag + float32 [2 * pairs, N, C]: where the main thread puts dL/d(samples). */
  exchange: SharedArrayBuffer;
}

/** What a replica sends back. */
export type ReplicaReply =
  | { kind: 'ready' }
  /** float32 [2 * pairs, N, C]: the descriptors of the sampled view-1 pixels, then of their partners. */
  | { kind: 'samples'; samples: Float32Array }
  /** The replica's share of dL/dweights, in `flattenParameters` layout, and its live tensor count after the step. */
  | { kind: 'grads'; grads: Float32Array; liveTensors: number }
  | { kind: 'error'; message: string };

interface Replica {
  worker: Worker;
  inbox: AsyncQueue<ReplicaReply>;
  exchange: SharedArrayBuffer;
}

/**
 * Data-parallel forward and backward passes of the oxel loss: each replica (a worker thread with its own
 * single-threaded wasm backend) runs the U-Net on a share of the batch's pairs, so every kernel uses every
 * core, where wasm's own threads only speed up convolutions. The loss itself runs on the calling thread
 * on the sampled descriptors of all pairs (its between-image term couples them), and the gradient is the
 * sum of the replicas' shares: the same loss and, up to float rounding, the same gradient as
 * `lossAndGradients` on the whole batch (dropout masks differ: each replica draws its own).
 */
export class ReplicaPool {
  /** The error that broke a step: the replicas' state is unknown after it, so the pool takes no more. */
  private failure: Error | null = null;
  /** Live tensors in each replica after its last step (flat over a run, or a replica leaks). */
  liveTensors: number[] = [];

  private constructor(
    private readonly replicas: Replica[],
    /** wasm threads per replica. */
    readonly threads: number,
  ) {}

  /**
   * Starts `replicas` workers with the U-Net of `config` (weights come with every step).
   * @param threads wasm threads per replica (1 = the single-threaded build)
   */
  static async start(
    config: UNetConfig,
    replicas = availableParallelism(),
    threads = 1,
  ): Promise<ReplicaPool> {
    assert(
      Number.isInteger(replicas) && replicas >= 1 && Number.isInteger(threads) && threads >= 1,
      'BAD_ARGUMENT',
      () => `ReplicaPool.start: replicas and threads must be positive integers (got ${replicas}, ${threads})`,
    );
    const entry = new URL('./replicaWorker.ts', import.meta.url);
    const pool = new ReplicaPool(
      Array.from({ length: replicas }, () => {
        const worker = startModuleWorker(entry, { config, threads });
        const inbox = new AsyncQueue<ReplicaReply>(Number.POSITIVE_INFINITY);
        worker.on('message', (reply: ReplicaReply) => {
          if (reply.kind === 'error')
            inbox.fail(new TrainerError('BACKEND_UNAVAILABLE', `replica: ${reply.message}`));
          else void inbox.push(reply);
        });
        worker.on('error', (err) => inbox.fail(err));
        worker.on('exit', (code) => inbox.fail(new Error(`replica: worker exited with code ${code}`)));
        return { worker, inbox, exchange: new SharedArrayBuffer(EXCHANGE_HEADER_BYTES) };
      }),
      threads,
    );
    try {
      await Promise.all(pool.replicas.map((r) => expectReply(r, 'ready')));
    } catch (err) {
      await pool.close();
      throw err;
    }
    return pool;
  }

  /** Number of replicas. */
  get size(): number {
    return this.replicas.length;
  }

  /** What the replicas run on, for a run's log line. */
  get device(): string {
    const t = this.threads;
    return `WebAssembly SIMD (XNNPACK), ${this.size} data-parallel replicas of ${t} thread${t === 1 ? '' : 's'}`;
  }

  /**
   * `lossAndGradients` of `model` (whose weights the replicas take) on `batch`, split by pairs over the
   * replicas. Changes no weights; the caller disposes the result.
   */
  async lossAndGradients(
    model: UNet,
    batch: LossBatch,
    options: { loss: Partial<OxelLossOptions>; seed: number },
  ): Promise<LossAndGradients> {
    if (this.failure)
      throw new TrainerError('BAD_ARGUMENT', `ReplicaPool: failed earlier (${this.failure.message})`);
    validateLossBatch(batch);
    const { batchSize: b, height: h, width: w, samples: n } = batch;
    const c = model.config.outChannels;
    const weights = flattenParameters(model.parameters);
    const shares = splitPairs(b, this.replicas.length);
    const used = this.replicas.slice(0, shares.length);
    const hwc = h * w * 3;
    shares.forEach(([first, pairs], r) => {
      const replica = used[r];
      const bytes = EXCHANGE_HEADER_BYTES + 4 * 2 * pairs * n * c;
      if (replica.exchange.byteLength < bytes) replica.exchange = new SharedArrayBuffer(bytes);
      const views = new Float32Array(2 * pairs * hwc);
      views.set(batch.view1.subarray(first * hwc, (first + pairs) * hwc));
      views.set(batch.view2.subarray(first * hwc, (first + pairs) * hwc), pairs * hwc);
      const step: ReplicaStep = {
        weights,
        pairs,
        height: h,
        width: w,
        samples: n,
        views,
        idx1: batch.idx1.slice(first * n, (first + pairs) * n),
        idx2: batch.idx2.slice(first * n, (first + pairs) * n),
        ...(batch.hard && {
          hard: { mined: batch.hard.mined.slice(first * n, (first + pairs) * n), radius: batch.hard.radius },
        }),
        seed: deriveSeed(options.seed, r),
        exchange: replica.exchange,
      };
      replica.worker.postMessage(step, [views.buffer]);
    });
    try {
      const gathered = await Promise.all(used.map((r) => expectReply(r, 'samples')));
      const p1 = new Float32Array(b * n * c);
      const p2 = new Float32Array(b * n * c);
      shares.forEach(([first, pairs], r) => {
        const s = gathered[r].samples;
        p1.set(s.subarray(0, pairs * n * c), first * n * c);
        p2.set(s.subarray(pairs * n * c), first * n * c);
      });
      const loss = lossOnSamples(p1, p2, batch, c, options.loss);
      shares.forEach(([first, pairs], r) => {
        const dp = new Float32Array(used[r].exchange, EXCHANGE_HEADER_BYTES, 2 * pairs * n * c);
        dp.set(loss.dp1.subarray(first * n * c, (first + pairs) * n * c));
        dp.set(loss.dp2.subarray(first * n * c, (first + pairs) * n * c), pairs * n * c);
        wake(used[r]);
      });
      const shareGrads = await Promise.all(used.map((r) => expectReply(r, 'grads')));
      this.liveTensors = shareGrads.map((g) => g.liveTensors);
      const sum = shareGrads[0].grads;
      for (const { grads } of shareGrads.slice(1)) for (let i = 0; i < sum.length; i++) sum[i] += grads[i];
      return {
        loss: loss.loss,
        within: loss.within,
        between: loss.between,
        grads: unflattenLike(model.parameters, sum),
      };
    } catch (err) {
      // A replica that failed may leave the others waiting for their gradient inside a step.
      for (const r of used) wake(r);
      this.failure = err as Error;
      throw err;
    }
  }

  /** Stops the workers. */
  async close(): Promise<void> {
    await Promise.all(
      this.replicas.map((r) => {
        r.worker.removeAllListeners('exit');
        return r.worker.terminate();
      }),
    );
  }
}

/** Array lengths agree with the sizes, and every sampled pixel lies in its image. */
function validateLossBatch(batch: LossBatch): void {
  const { batchSize: b, height: h, width: w, samples: n } = batch;
  const sizes: [string, { length: number } | undefined, number][] = [
    ['view1', batch.view1, b * h * w * 3],
    ['view2', batch.view2, b * h * w * 3],
    ['idx1', batch.idx1, b * n],
    ['idx2', batch.idx2, b * n],
    ['isPositive', batch.isPositive, b * n],
    ['mask1', batch.mask1, b * h * w],
    ['mask2', batch.mask2, b * h * w],
    ['hard.mined', batch.hard?.mined, b * n],
  ];
  for (const [name, array, expected] of sizes) {
    assert(
      array === undefined || array.length === expected,
      'BAD_ARGUMENT',
      () =>
        `ReplicaPool: batch.${name} has ${array?.length} values, expected ${expected} for ${b} pairs of ${w}x${h}, ${n} samples`,
    );
  }
  // The loss reads view 2's mask at idx2, which mining changes in the replicas only.
  assert(
    !(batch.hard && batch.mask2),
    'BAD_ARGUMENT',
    () => 'ReplicaPool: hard negatives need a batch without view masks',
  );
  for (const [name, idx] of [
    ['idx1', batch.idx1],
    ['idx2', batch.idx2],
  ] as const) {
    const bad = idx.findIndex((p) => p < 0 || p >= h * w);
    assert(
      bad < 0,
      'BAD_ARGUMENT',
      () => `ReplicaPool: batch.${name}[${bad}] = ${idx[bad]} lies outside the ${w}x${h} image`,
    );
  }
}

/** Releases a replica that waits for its loss gradient. */
function wake(r: Replica): void {
  const flag = new Int32Array(r.exchange, 0, 1);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
}

async function expectReply<K extends ReplicaReply['kind']>(
  r: Replica,
  kind: K,
): Promise<Extract<ReplicaReply, { kind: K }>> {
  const reply = await r.inbox.shift();
  if (reply?.kind !== kind) throw new Error(`replica: expected '${kind}', got '${reply?.kind ?? 'end'}'`);
  return reply as Extract<ReplicaReply, { kind: K }>;
}

/** [first pair, pair count] per replica: pairs split as evenly as possible, no replica empty. */
export function splitPairs(pairs: number, replicas: number): [number, number][] {
  const used = Math.min(pairs, replicas);
  const shares: [number, number][] = [];
  let first = 0;
  for (let r = 0; r < used; r++) {
    const count = Math.floor(pairs / used) + (r < pairs % used ? 1 : 0);
    shares.push([first, count]);
    first += count;
  }
  return shares;
}

/**
 * The oxel loss on the gathered descriptors of the whole batch (p1, p2: [B, N, C]) and its gradient
 * with respect to them.
 */
function lossOnSamples(
  p1Data: Float32Array,
  p2Data: Float32Array,
  batch: LossBatch,
  c: number,
  options: Partial<OxelLossOptions>,
): { loss: tf.Scalar; within: tf.Scalar; between: tf.Scalar; dp1: Float32Array; dp2: Float32Array } {
  const { batchSize: b, samples: n } = batch;
  const maskAt = (mask: Uint8Array | undefined, idx: Int32Array) =>
    tf.tidy(() =>
      sampledMask(
        mask && tf.tensor3d(Float32Array.from(mask), [b, batch.height, batch.width]),
        tf.tensor2d(idx, [b, n], 'int32'),
      ),
    );
  const p1 = tf.tensor3d(p1Data, [b, n, c]);
  const p2 = tf.tensor3d(p2Data, [b, n, c]);
  const isPositive = tf.tensor2d(Float32Array.from(batch.isPositive), [b, n]);
  const m1 = maskAt(batch.mask1, batch.idx1);
  const m2 = maskAt(batch.mask2, batch.idx2);
  const kept: tf.Scalar[] = [];
  const { value, grads } = tf.valueAndGrads((a: tf.Tensor, z: tf.Tensor) => {
    const t = oxelLossOnSamples(a as tf.Tensor3D, z as tf.Tensor3D, isPositive, m1, m2, options);
    kept.push(tf.keep(t.within), tf.keep(t.between));
    return t.loss;
  })([p1, p2]);
  const dp1 = grads[0].dataSync() as Float32Array;
  const dp2 = grads[1].dataSync() as Float32Array;
  tf.dispose([p1, p2, isPositive, m1, m2, ...grads]);
  return { loss: value as tf.Scalar, within: kept[0], between: kept[1], dp1, dp2 };
}
