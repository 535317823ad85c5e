import type { ViewPairSample } from '@oxels/dataset';
import { type DescriptorMap, descriptorMap } from '../pictures/DescriptorMap.ts';

/**
 * Where the viewer gets descriptor maps of a pair's views: the hook for a trained network (a run's
 * checkpoint evaluated on both views). When the viewer has one, it serves distance heatmaps and PCA
 * pictures of the descriptors and the page shows them.
 */
export interface DescriptorSource {
  /** Shown in the page, e.g. the run directory and checkpoint step. */
  name: string;
  /** float32 [H, W, C] descriptor maps of view A and view B, same H and W as the views. */
  describe(sample: ViewPairSample): Promise<{ a: DescriptorMap; b: DescriptorMap }>;
}

function rgbMap(rgb: Uint8Array, width: number, height: number): DescriptorMap {
  const data = new Float32Array(rgb.length);
  for (let i = 0; i < rgb.length; i++) data[i] = rgb[i] / 255;
  return descriptorMap(data, height, width, 3);
}

/**
 * The trivial descriptor: a pixel's own colour (3 channels in [0, 1]). The baseline any learnt
 * descriptor should beat, and a way to use the heatmap before a run exists (`pnpm view DATA
 * --descriptors rgb`).
 */
export const colourDescriptors: DescriptorSource = {
  name: 'rgb (pixel colour)',
  async describe(sample) {
    const { width, height } = sample.meta;
    return { a: rgbMap(sample.rgbA, width, height), b: rgbMap(sample.rgbB, width, height) };
  },
};
