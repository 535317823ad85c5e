import { createRng, deriveSeed } from '@oxels/core';
import { loadColoredMnist } from './images/coloredMnist.ts';
import type { ImageSet } from './images/ImageSet.ts';
import { loadImageFolder } from './images/imageFolder.ts';
import { samplePairBatch } from './images/samplePairBatch.ts';
import { BatchStream } from './viewPairs/BatchStream.ts';
import type { LossBatch } from './viewPairs/LossBatch.ts';
import type { TrainConfig } from '../run/TrainConfig.ts';

/** Batches for the training loop, by step. */
export interface BatchSource {
  next(step: number): Promise<LossBatch | undefined>;
  close(): Promise<void>;
}

/**
 * The batches of a run from `startStep` on. 3D sources (shards, live generator) stream from a worker
 * thread and skip the batches of steps already done; 2D sources draw the batch of step s from a seed
 * derived from (seed, s), so resuming costs nothing. `shards`: the shard files to read (those
 * datasetShards passed); default every shard in the source's directory.
 */
export async function openBatchSource(
  config: TrainConfig,
  startStep: number,
  log: (message: string) => void,
  shards?: string[],
): Promise<BatchSource> {
  const { source } = config;
  const { samples, positiveFraction } = config.sampling;
  if (source.kind === 'shards' || source.kind === 'live') {
    if (startStep > 0) {
      log(
        `drawing the ${startStep.toLocaleString('en')} batches done before again, to go on with the same data (about a minute per 1,000)`,
      );
    }
    const stream = BatchStream.start(
      {
        source:
          source.kind === 'shards'
            ? { ...source, ...(shards && { shards }) }
            : {
                kind: 'live',
                config: source.generate,
                options: {
                  workers: source.workers,
                  assetCache: source.assetCache,
                  prefetch: 2 * config.batchSize,
                },
              },
        seed: config.seed,
        batchSize: config.batchSize,
        sampling: config.sampling,
        shuffle: {},
        skip: startStep,
      },
      4,
      log,
    );
    return { next: () => stream.next(), close: () => stream.close() };
  }
  const images: ImageSet =
    source.kind === 'colored-mnist'
      ? (await loadColoredMnist(source.mnistDir ? { dir: source.mnistDir } : {})).train
      : await loadImageFolder(source.dir, { width: source.size[0], height: source.size[1], onWarning: log });
  return {
    next: async (step) =>
      samplePairBatch(images, createRng(deriveSeed(config.seed, 5, step)), {
        samples,
        positiveFraction,
        batchSize: config.batchSize,
        photometric: config.photometric,
      }),
    close: async () => {},
  };
}
