// Worker thread of BatchStream: reads (or generates) view pairs, samples them and sends LossBatches,
// one per credit the main thread grants, so that decoding overlaps training and memory stays bounded.
import { parentPort, workerData } from 'node:worker_threads';
import { createRng } from '@oxels/core';
import { livePairs } from '@oxels/scene-gen/live';
import type { ViewPairSample } from '@oxels/dataset';
import { batchExamples } from './batchExamples.ts';
import type { BatchSourceSpec } from './BatchStream.ts';
import { sampleViewPair, sampleViewPairPixels } from './sampleViewPair.ts';
import { shuffledSamples } from './shuffledSamples.ts';

const spec = (workerData as { data: BatchSourceSpec }).data;
const { sampling } = spec;
let credits = 0;
let wake: (() => void) | null = null;
let stopping = false;
let finished = false;

parentPort!.on('message', (message: 'credit' | 'stop') => {
  if (message === 'stop') stopping = true;
  else credits++;
  // After an error the producer is gone: nothing else will end the thread.
  if (stopping && finished) process.exit(0);
  wake?.();
});

async function waitForCredit(): Promise<boolean> {
  while (credits === 0 && !stopping) await new Promise<void>((resolve) => (wake = resolve));
  credits--;
  return !stopping;
}

async function main(): Promise<void> {
  const rng = createRng(spec.seed);
  const samples: AsyncGenerator<ViewPairSample> =
    spec.source.kind === 'shards'
      ? shuffledSamples(spec.source.shards ?? spec.source.dir, rng, spec.shuffle)
      : livePairs(spec.source.config, spec.source.options, {
          onLog: (m) => parentPort!.postMessage({ kind: 'log', message: m }),
          onWarning: (m) => parentPort!.postMessage({ kind: 'log', message: `warning: ${m}` }),
        });
  let produced = 0;
  try {
    while (await waitForCredit()) {
      // Batches skipped on resume take the same random draws but not the images (never decoded).
      const skipping = produced < spec.skip;
      const examples = [];
      for (let i = 0; i < spec.batchSize; i++) {
        const next = await samples.next();
        if (next.done) {
          parentPort!.postMessage({ kind: 'end' });
          return;
        }
        if (skipping) sampleViewPairPixels(next.value, rng, sampling);
        else examples.push(sampleViewPair(next.value, rng, sampling));
      }
      produced++;
      if (skipping) {
        credits++;
        continue;
      }
      const batch = batchExamples(examples, sampling.hardRadius);
      // Every array is the batch's own (batchExamples): moved to the main thread, not copied.
      const arrays = [batch.view1, batch.view2, batch.idx1, batch.idx2, batch.isPositive, batch.hard?.mined];
      const transfer = arrays.filter((a) => a !== undefined).map((a) => a.buffer as ArrayBuffer);
      parentPort!.postMessage({ kind: 'batch', batch }, transfer);
    }
  } finally {
    await samples.return(undefined);
  }
}

main().then(
  () => process.exit(0),
  (err: Error) => {
    finished = true;
    parentPort!.postMessage({ kind: 'error', message: err.message });
    if (stopping) process.exit(1);
  },
);
