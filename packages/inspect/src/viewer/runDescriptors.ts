import type { RgbImage } from '@oxels/image';
import { type LoadedRun, modelDescriptors } from '@oxels/trainer';
import { type DescriptorMap, descriptorMap } from '../pictures/DescriptorMap.ts';
import type { DescriptorSource } from '../viewer/DescriptorSource.ts';

/**
 * Descriptor maps of two same-sized views through a trained run's network (one forward pass of both,
 * evaluation mode). Needs the tfjs backend the run was loaded on.
 */
export function describeViews(
  run: LoadedRun,
  viewA: RgbImage,
  viewB: RgbImage,
): { a: DescriptorMap; b: DescriptorMap } {
  const { width, height } = viewA;
  const { a, b } = modelDescriptors(run.model, viewA.data, viewB.data, width, height);
  return {
    a: descriptorMap(a.data, height, width, a.channels),
    b: descriptorMap(b.data, height, width, b.channels),
  };
}

/**
 * A trained run as the viewer's DescriptorSource (`pnpm view DATA --run RUN`): both views of a pair
 * through the run's network.
 */
export function runDescriptorSource(run: LoadedRun): DescriptorSource {
  return {
    name: `${run.runDir} (step ${run.step}, ${run.config.model} U-Net, ${run.config.outChannels} channels)`,
    async describe(sample) {
      const { width, height } = sample.meta;
      return describeViews(run, { width, height, data: sample.rgbA }, { width, height, data: sample.rgbB });
    },
  };
}
