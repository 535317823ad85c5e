import type { Worker } from 'node:worker_threads';
import { AsyncQueue, startModuleWorker } from '@oxels/core';
import type { GenerateConfig, LivePairsOptions } from '@oxels/scene-gen/live';
import { TrainerError } from '../../errors.ts';
import type { LossBatch } from './LossBatch.ts';
import type { ViewPairSampleOptions } from './viewPairSampleOptions.ts';
import type { ShuffleOptions } from './shuffledSamples.ts';

/** Where view pairs come from: shards on disk, or the generator running alongside training. */
export type PairSource =
  /** `shards`: the files to read (validated ones, see datasetShards); default every shard in `dir`. */
  | { kind: 'shards'; dir: string; shards?: string[] }
  | { kind: 'live'; config: GenerateConfig; options: LivePairsOptions };

/** Everything that decides the stream of batches (plain data: it is sent to the worker thread). */
export interface BatchSourceSpec {
  source: PairSource;
  seed: number;
  batchSize: number;
  /** Passed whole to the worker (checked by `validateViewPairSampleOptions`). */
  sampling: ViewPairSampleOptions;
  shuffle: Partial<ShuffleOptions>;
  /** Batches to draw and drop first (resuming a run at this step gives the same batches as before). */
  skip: number;
}

type BatchMessage =
  | { kind: 'batch'; batch: LossBatch }
  | { kind: 'end' }
  | { kind: 'log'; message: string }
  | { kind: 'error'; message: string };

/**
 * Batches of view pairs made on a worker thread (shard reading, PNG decoding, sampling) ahead of the
 * training loop: at most `prefetch` batches wait in memory; the worker stops reading when they do.
 */
export class BatchStream {
  private readonly queue: AsyncQueue<LossBatch>;

  private constructor(
    private readonly worker: Worker,
    prefetch: number,
  ) {
    this.queue = new AsyncQueue(prefetch);
  }

  /** Starts the worker; `onLog` receives the generator's notes in live mode. */
  static start(
    spec: BatchSourceSpec,
    prefetch = 4,
    onLog: (message: string) => void = () => {},
  ): BatchStream {
    const worker = startModuleWorker(new URL('./batchWorker.ts', import.meta.url), spec);
    const stream = new BatchStream(worker, prefetch);
    worker.on('message', (m: BatchMessage) => {
      if (m.kind === 'batch') {
        stream.queue.push(m.batch).then(() => worker.postMessage('credit'));
      } else if (m.kind === 'end') stream.queue.close();
      else if (m.kind === 'log') onLog(m.message);
      else stream.queue.fail(new TrainerError('BAD_DATA', `training data: ${m.message}`));
    });
    worker.on('error', (err) =>
      stream.queue.fail(new TrainerError('BAD_DATA', `training data worker crashed: ${err.message}`)),
    );
    for (let i = 0; i < prefetch; i++) worker.postMessage('credit');
    return stream;
  }

  /** The next batch; `undefined` when a finite source is exhausted. */
  next(): Promise<LossBatch | undefined> {
    return this.queue.shift();
  }

  /** Stops the worker (and, in live mode, the generator's processes). */
  async close(): Promise<void> {
    this.queue.close();
    this.worker.postMessage('stop');
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => this.worker.terminate().then(() => resolve()), 10_000);
      this.worker.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}
