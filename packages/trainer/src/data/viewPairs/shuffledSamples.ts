import type { Rng } from '@oxels/core';
import { listShards, readShard, type ViewPairSample } from '@oxels/dataset';

/** Options of `shuffledSamples`. */
export interface ShuffleOptions {
  /** Samples held in the shuffle buffer; each output is drawn uniformly from it. */
  buffer: number;
  /** Passes over the dataset; Infinity streams forever. */
  epochs: number;
}

export const DEFAULT_SHUFFLE_OPTIONS: ShuffleOptions = { buffer: 256, epochs: Number.POSITIVE_INFINITY };

/**
 * Streams the view pairs of a dataset directory (every shard in it), or of the given shard files, in a
 * seeded random order without loading it all: the shard order is shuffled every epoch, and a shuffle
 * buffer (WebDataset's approach) mixes samples across neighbouring shards. Throws the shard reader's
 * errors (missing directory, no shard, corrupt shard) naming the file.
 */
export async function* shuffledSamples(
  source: string | readonly string[],
  rng: Rng,
  options: Partial<ShuffleOptions> = {},
): AsyncGenerator<ViewPairSample> {
  const { buffer: size, epochs } = { ...DEFAULT_SHUFFLE_OPTIONS, ...options };
  const shards = typeof source === 'string' ? listShards(source) : source;
  const buffer: ViewPairSample[] = [];
  const take = (): ViewPairSample => {
    const i = rng.int(buffer.length);
    const sample = buffer[i];
    buffer[i] = buffer[buffer.length - 1];
    buffer.pop();
    return sample;
  };
  for (let epoch = 0; epoch < epochs; epoch++) {
    const order = [...shards];
    for (let i = order.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [order[i], order[j]] = [order[j], order[i]];
    }
    for (const shard of order) {
      for await (const sample of readShard(shard)) {
        buffer.push(sample);
        if (buffer.length >= size) yield take();
      }
    }
  }
  while (buffer.length > 0) yield take();
}
