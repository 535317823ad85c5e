import { createRgbImage, drawText, FONT_CELL, fillRect, type Rgb, type RgbImage } from '@oxels/image';
import { assert } from '../errors.ts';
import type { DescriptorMap } from './DescriptorMap.ts';

/** Options of `signMaps`. */
export interface SignMapsOptions {
  /** Cells per row; 0 = about square (ceil(sqrt(channels))). */
  columns: number;
  /** Integer upscaling of each cell. */
  scale: number;
  /** Pixels between cells and around the grid. */
  gap: number;
  /** Print the channel number above each cell. */
  labels: boolean;
}

/** Defaults of `signMaps`: square grid, no upscaling, 2-pixel gaps, labels. */
export const DEFAULT_SIGN_MAPS_OPTIONS: SignMapsOptions = { columns: 0, scale: 1, gap: 2, labels: true };

const POSITIVE: Rgb = [255, 255, 255];
const NEGATIVE: Rgb = [0, 0, 0];
const ZERO: Rgb = [128, 128, 128];
const NOT_FINITE: Rgb = [255, 0, 255];
const BACKGROUND: Rgb = [40, 40, 48];

/**
 * A grid of sign maps, one cell per chosen channel (in the order given): a pixel is white where the
 * channel is > 0, black where < 0, grey where exactly 0 and magenta where not finite. Overcomplete
 * descriptors trained with the inf-norm loss tend to binarise, so their signs show what each channel
 * has learnt to separate.
 *
 * @param channels channel indices into the map's C channels
 * @returns a picture of columns x rows cells, each W*scale x H*scale plus a label line
 */
export function signMaps(
  map: DescriptorMap,
  channels: number[],
  options: Partial<SignMapsOptions> = {},
): RgbImage {
  const o = { ...DEFAULT_SIGN_MAPS_OPTIONS, ...options };
  assert(channels.length > 0, 'BAD_ARGUMENT', () => 'signMaps: no channel chosen (got [])');
  for (const ch of channels) {
    assert(
      Number.isInteger(ch) && ch >= 0 && ch < map.channels,
      'BAD_ARGUMENT',
      () => `signMaps: channel ${ch} is not in the map's 0..${map.channels - 1}`,
    );
  }
  assert(
    Number.isInteger(o.scale) && o.scale >= 1,
    'BAD_ARGUMENT',
    () => `signMaps: scale must be an integer >= 1 (got ${o.scale})`,
  );
  const columns = o.columns > 0 ? o.columns : Math.ceil(Math.sqrt(channels.length));
  const rows = Math.ceil(channels.length / columns);
  const cellW = map.width * o.scale;
  const cellH = map.height * o.scale;
  const labelH = o.labels ? FONT_CELL.height + 2 : 0;
  const image = createRgbImage(
    columns * (cellW + o.gap) + o.gap,
    rows * (cellH + labelH + o.gap) + o.gap,
    BACKGROUND,
  );
  const c = map.channels;
  channels.forEach((ch, n) => {
    const x0 = o.gap + (n % columns) * (cellW + o.gap);
    const y0 = o.gap + Math.floor(n / columns) * (cellH + labelH + o.gap);
    if (o.labels) drawText(image, `c${ch}`, x0, y0, [220, 220, 220]);
    for (let y = 0; y < map.height; y++) {
      for (let x = 0; x < map.width; x++) {
        const value = map.data[(y * map.width + x) * c + ch];
        const colour = !Number.isFinite(value)
          ? NOT_FINITE
          : value > 0
            ? POSITIVE
            : value < 0
              ? NEGATIVE
              : ZERO;
        fillRect(image, x0 + x * o.scale, y0 + labelH + y * o.scale, o.scale, o.scale, colour);
      }
    }
  });
  return image;
}
