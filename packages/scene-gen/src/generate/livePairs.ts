import { AsyncQueue } from '@oxels/core';
import type { ViewPairSample } from '@oxels/dataset';
import { type GenerateConfig, validateGenerateConfig } from './GenerateConfig.ts';
import type { GenerateHooks } from './generateDataset.ts';
import { PairWorkerPool } from './PairWorkerPool.ts';
import type { WorkerRequest } from './pairWorker.ts';

/** Options of `livePairs`. */
export interface LivePairsOptions {
  workers: number;
  assetCache: string;
  /** Pairs generated ahead of the consumer, at most. */
  prefetch: number;
}

/**
 * An endless stream of freshly generated view pairs, for training without shards: worker processes
 * render and ray-cast pairs while the consumer works, through a bounded queue. Pair i is pair
 * (i mod pairsPerRoom) + pairsPerRoom * cycle of room floor(i / pairsPerRoom) mod rooms, so the stream
 * visits every room and never repeats a pair. The samples come as the workers' typed arrays, never
 * encoded (the same values a shard of them decodes to). Stop it by leaving the `for await` loop
 * (`return()`).
 */
export async function* livePairs(
  config: GenerateConfig,
  options: LivePairsOptions,
  hooks: Pick<GenerateHooks, 'onLog' | 'onWarning'> = {},
): AsyncGenerator<ViewPairSample> {
  const log = hooks.onLog ?? (() => {});
  const warn = hooks.onWarning ?? (() => {});
  validateGenerateConfig(config, {
    out: '.',
    workers: options.workers,
    shardIndex: 0,
    numShards: 1,
    assetCache: options.assetCache,
  });
  // Loaded here, not at the top: importing @oxels/scene-gen/live (for its defaults) stays cheap.
  const { resolveAssets } = await import('./resolveAssets.ts');
  const { scenenn, shapenet, rooms, objects } = await resolveAssets(config, options.assetCache, log, warn);
  const pool = PairWorkerPool.start(
    { config: { ...config, scenenn, shapenet }, rooms, objects, renderer: {}, encode: false },
    options.workers,
    log,
  );
  const queue = new AsyncQueue<ViewPairSample>(options.prefetch);
  const running = pool
    .run(endlessJobs(config), async (reply) => {
      if (reply.kind === 'warning') warn(reply.message);
      if (reply.kind === 'sample') await queue.push(reply.sample);
    })
    .catch((err: Error) => queue.fail(err));
  try {
    for (;;) {
      const sample = await queue.shift();
      if (sample === undefined) return;
      yield sample;
    }
  } finally {
    queue.close();
    await pool.stop();
    await running;
  }
}

/** Jobs of a whole room's pairs at a time, cycling through the rooms with new pair indices. */
function* endlessJobs(config: GenerateConfig): Generator<WorkerRequest> {
  const { rooms, pairsPerRoom } = config;
  for (let job = 0; ; job++) {
    const room = job % rooms;
    const cycle = Math.floor(job / rooms);
    const p0 = cycle * pairsPerRoom;
    yield { room, pairs: [p0, p0 + pairsPerRoom], first: job * pairsPerRoom };
  }
}
