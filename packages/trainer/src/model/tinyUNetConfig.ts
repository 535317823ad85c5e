import type { UNetConfig } from '../constants.ts';

/** Two narrow stages: the real U-Net layout at a size unit tests can afford (no dropout). */
export const TINY_UNET_CONFIG: Readonly<UNetConfig> = Object.freeze({
  inChannels: 3,
  outChannels: 8,
  widths: [8, 16],
  blocks: [1, 1],
  dropout: [0, 0],
  attention: false,
  normalization: 'image',
  normEpsilon: 1e-5,
});
