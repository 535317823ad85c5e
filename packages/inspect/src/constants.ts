import { CorrespondenceStatus } from '@oxels/core';
import type { Rgb } from '@oxels/image';

/** Display names of the correspondence statuses, by status code (docs/architecture.md#status-codes). */
export const STATUS_NAMES: Record<CorrespondenceStatus, string> = {
  [CorrespondenceStatus.MATCH]: 'match',
  [CorrespondenceStatus.OCCLUDED]: 'occluded',
  [CorrespondenceStatus.OUT_OF_VIEW]: 'out-of-view',
  [CorrespondenceStatus.MISS]: 'miss',
};

/**
 * Marker colours of the statuses that have no position in B. Matches are drawn as lines coloured by
 * their position in A, which uses the whole hue circle, so these stay achromatic and differ by shape
 * too: occluded = white "x", out of view = black "+" on a white halo, miss = grey dot.
 */
export const STATUS_MARKER_COLOURS = {
  occluded: [255, 255, 255] as Rgb,
  outOfView: [0, 0, 0] as Rgb,
  miss: [150, 150, 150] as Rgb,
  halo: [0, 0, 0] as Rgb,
};

/** Background and text colours of the legend band under overlays. */
export const LEGEND_COLOURS = { background: [24, 24, 28] as Rgb, text: [235, 235, 235] as Rgb };

/** Default number of pairs `inspect` draws when no --pair is given. */
export const DEFAULT_INSPECT_COUNT = 4;

/** Default port of the viewer; 0 asks the system for a free one. */
export const DEFAULT_VIEWER_PORT = 8040;
