import type { Rgb } from './raster/RgbImage.ts';

/** Colours of a chart's parts (white background, light grid, dark text), see drawLineChart. */
export const CHART_COLOURS = {
  background: [255, 255, 255] as Rgb,
  plot: [255, 255, 255] as Rgb,
  grid: [226, 226, 232] as Rgb,
  minorGrid: [243, 243, 246] as Rgb,
  frame: [96, 96, 104] as Rgb,
  text: [36, 36, 42] as Rgb,
};

/**
 * Default series colours, in order: the Tableau 10 palette (matplotlib's default cycle), a few tones
 * darker so that names printed in them stay readable on white in a one-pixel font.
 */
export const SERIES_COLOURS: readonly Rgb[] = [
  [31, 119, 180],
  [230, 110, 0],
  [44, 150, 44],
  [214, 39, 40],
  [138, 92, 182],
  [140, 86, 75],
  [210, 90, 170],
  [110, 110, 110],
  [160, 160, 20],
  [20, 160, 180],
];
