import type { LossBatch } from './LossBatch.ts';

/** Where each field of a packed batch lies: numpy's dtype name and the shape, in packing order. */
export type PackedBatchLayout = Record<string, { dtype: 'float32' | 'int32' | 'uint8'; shape: number[] }>;

/**
 * A batch as one little-endian byte string in a fixed field order (view1, view2, idx1, idx2,
 * isPositive, mask1, mask2), for a peer outside JavaScript (the PyTorch trainer of scripts/) to read
 * with numpy. Absent masks are written all-valid so every batch of a run has the same layout.
 */
export function packLossBatch(b: LossBatch): { bytes: Buffer; layout: PackedBatchLayout } {
  const images = [b.batchSize, b.height, b.width, 3];
  const samples = [b.batchSize, b.samples];
  const pixels = [b.batchSize, b.height, b.width];
  const ones = new Uint8Array(b.batchSize * b.height * b.width).fill(1);
  const parts: [string, ArrayBufferView, 'float32' | 'int32' | 'uint8', number[]][] = [
    ['view1', b.view1, 'float32', images],
    ['view2', b.view2, 'float32', images],
    ['idx1', b.idx1, 'int32', samples],
    ['idx2', b.idx2, 'int32', samples],
    ['isPositive', b.isPositive, 'uint8', samples],
    ['mask1', b.mask1 ?? ones, 'uint8', pixels],
    ['mask2', b.mask2 ?? ones, 'uint8', pixels],
  ];
  return {
    bytes: Buffer.concat(parts.map(([, a]) => Buffer.from(a.buffer, a.byteOffset, a.byteLength))),
    layout: Object.fromEntries(parts.map(([name, , dtype, shape]) => [name, { dtype, shape }])),
  };
}
