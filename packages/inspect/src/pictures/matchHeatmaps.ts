import {
  blit,
  createRgbImage,
  drawCircle,
  drawPlus,
  drawText,
  FONT_CELL,
  type Rgb,
  type RgbImage,
  upscaleNearest,
} from '@oxels/image';
import { assert } from '../errors.ts';
import { type DescriptorMap, descriptorAt } from './DescriptorMap.ts';
import { type DescriptorNorm, distanceHeatmap } from './distanceHeatmap.ts';

/** A query pixel of view A and, when known, its true position in view B. */
export interface HeatmapQuery {
  /** Pixel of A (integers). */
  x: number;
  y: number;
  /** Subpixel (u, v) of the true match in B (docs/architecture.md#pixel-coordinates), or null. */
  trueMatch: { u: number; v: number } | null;
}

/** Options of `matchHeatmaps`. */
export interface MatchHeatmapsOptions {
  norm: DescriptorNorm;
  /** Integer upscaling of the views and heatmaps. */
  scale: number;
  /** Pixels between panels and rows. */
  gap: number;
}

/** Defaults of `matchHeatmaps`: inf norm, no upscaling, 4-pixel gaps. */
export const DEFAULT_MATCH_HEATMAPS_OPTIONS: MatchHeatmapsOptions = { norm: 'inf', scale: 1, gap: 4 };

/** What one row of the picture shows. */
export interface MatchHeatmapRow {
  query: HeatmapQuery;
  /** Nearest pixel of B and its descriptor distance. */
  best: { x: number; y: number; distance: number };
  /** Pixels from the best pixel's centre to the true match (NaN without one). */
  error: number;
}

const QUERY_COLOUR: Rgb = [0, 255, 255];
const BEST_COLOUR: Rgb = [255, 255, 255];
const TRUE_COLOUR: Rgb = [255, 40, 40];
const TEXT_COLOUR: Rgb = [235, 235, 235];
const BACKGROUND: Rgb = [24, 24, 28];

/**
 * One row per query pixel: view A with the query (cyan "+"), view B with the nearest-descriptor pixel
 * (white circle) and the true match (red "+"), and the descriptor-distance heatmap over B
 * (`distanceHeatmap`: near = yellow, same markers), under a caption with the query, the best match and
 * its pixel error. Pure.
 * @param viewA, viewB the views as pictures, same size as their descriptor maps
 */
export function matchHeatmaps(
  viewA: RgbImage,
  viewB: RgbImage,
  mapA: DescriptorMap,
  mapB: DescriptorMap,
  queries: HeatmapQuery[],
  options: Partial<MatchHeatmapsOptions> = {},
): { image: RgbImage; rows: MatchHeatmapRow[] } {
  const o = { ...DEFAULT_MATCH_HEATMAPS_OPTIONS, ...options };
  assert(queries.length > 0, 'BAD_ARGUMENT', () => 'matchHeatmaps: no query pixel (got [])');
  assert(
    viewA.width === mapA.width &&
      viewA.height === mapA.height &&
      viewB.width === mapB.width &&
      viewB.height === mapB.height,
    'BAD_ARGUMENT',
    () =>
      `matchHeatmaps: views (${viewA.width}x${viewA.height}, ${viewB.width}x${viewB.height}) and maps (${mapA.width}x${mapA.height}, ${mapB.width}x${mapB.height}) differ in size`,
  );
  const s = o.scale;
  const panelW = Math.max(mapA.width, mapB.width) * s;
  const panelH = Math.max(mapA.height, mapB.height) * s;
  const captionH = FONT_CELL.height + 4;
  const rowH = captionH + panelH + o.gap;
  const image = createRgbImage(3 * panelW + 4 * o.gap, queries.length * rowH + o.gap, BACKGROUND);
  const a = upscaleNearest(viewA, s);
  const b = upscaleNearest(viewB, s);
  const r = Math.max(3, 2 * s);
  const rows: MatchHeatmapRow[] = [];
  queries.forEach((query, i) => {
    const heat = distanceHeatmap(descriptorAt(mapA, query.x, query.y), mapB, {
      norm: o.norm,
      trueMatch: query.trueMatch,
      scale: s,
    });
    const t = query.trueMatch;
    const error = t ? Math.hypot(heat.best.x + 0.5 - t.u, heat.best.y + 0.5 - t.v) : Number.NaN;
    rows.push({ query, best: heat.best, error });
    const y = o.gap + i * rowH;
    const caption =
      `(${query.x},${query.y}) -> best (${heat.best.x},${heat.best.y})` +
      (t ? `, true (${t.u.toFixed(1)},${t.v.toFixed(1)}), error ${error.toFixed(1)} px` : '');
    drawText(image, caption, o.gap, y, TEXT_COLOUR);
    const py = y + captionH;
    const viewA1 = { ...a, data: a.data.slice() };
    drawPlus(viewA1, (query.x + 0.5) * s, (query.y + 0.5) * s, r, QUERY_COLOUR);
    const viewB1 = { ...b, data: b.data.slice() };
    drawCircle(viewB1, (heat.best.x + 0.5) * s, (heat.best.y + 0.5) * s, r, BEST_COLOUR);
    if (t) drawPlus(viewB1, t.u * s, t.v * s, r, TRUE_COLOUR);
    blit(image, viewA1, o.gap, py);
    blit(image, viewB1, panelW + 2 * o.gap, py);
    blit(image, heat.image, 2 * panelW + 3 * o.gap, py);
  });
  return { image, rows };
}
