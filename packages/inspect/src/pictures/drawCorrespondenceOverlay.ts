import {
  blit,
  createRgbImage,
  drawDisc,
  drawLine,
  drawText,
  FONT_CELL,
  positionColour,
  type Rgb,
  type RgbImage,
  upscaleNearest,
  wrapRgb,
} from '@oxels/image';
import { CorrespondenceStatus, createRng } from '@oxels/core';
import type { ViewPairSample } from '@oxels/dataset';
import { LEGEND_COLOURS, STATUS_MARKER_COLOURS } from '../constants.ts';
import { assert } from '../errors.ts';
import { spreadSample } from './spreadSample.ts';

/** Options of `drawCorrespondenceOverlay`. */
export interface OverlayOptions {
  /** How many MATCH samples to draw as lines A -> B (spread out over A). */
  matches: number;
  /** How many OCCLUDED samples to mark in A. */
  occluded: number;
  /** How many OUT_OF_VIEW samples to mark in A. */
  outOfView: number;
  /** How many MISS samples to mark in A. */
  miss: number;
  /** Seed of the subsample (the same seed draws the same samples). */
  seed: number;
  /** Integer upscaling of the views, or 'auto': the smallest that makes each view >= 320 px wide. */
  scale: number | 'auto';
  /** How much the views are darkened (0 = not, 1 = black) so that the marks stand out. */
  dim: number;
  /** Draw the legend band (statistics and symbols) under the views. */
  legend: boolean;
}

/** Defaults of `drawCorrespondenceOverlay`: 60 matches, 30 of each other status, seed 0. */
export const DEFAULT_OVERLAY_OPTIONS: OverlayOptions = {
  matches: 60,
  occluded: 30,
  outOfView: 30,
  miss: 30,
  seed: 0,
  scale: 'auto',
  dim: 0.3,
  legend: true,
};

/** Where things are in an overlay picture, in its pixels. */
export interface OverlayLayout {
  /** Upscaling factor of the views. */
  scale: number;
  /** Size of one upscaled view; view A is at x = 0, view B at x = viewWidth, both at y = 0. */
  viewWidth: number;
  viewHeight: number;
  /** Top of the legend band (= viewHeight), and its height (0 without legend). */
  legendTop: number;
  legendHeight: number;
  /** Text scale of the legend. */
  textScale: number;
}

/** An overlay picture and which samples it shows (indices into the sample's K correspondences). */
export interface CorrespondenceOverlay {
  image: RgbImage;
  layout: OverlayLayout;
  drawn: { match: number[]; occluded: number[]; outOfView: number[]; miss: number[] };
}

const LEGEND_ROWS = 4;

/**
 * The layout `drawCorrespondenceOverlay` uses for a W x H pair: the picture is 2 * W * scale wide and
 * H * scale + legendHeight tall.
 */
export function overlayLayout(
  width: number,
  height: number,
  options: Pick<OverlayOptions, 'scale' | 'legend'> = DEFAULT_OVERLAY_OPTIONS,
): OverlayLayout {
  const scale = options.scale === 'auto' ? Math.min(16, Math.max(1, Math.ceil(320 / width))) : options.scale;
  assert(
    Number.isInteger(scale) && scale >= 1,
    'BAD_ARGUMENT',
    () => `overlayLayout: scale must be an integer >= 1 or 'auto' (got ${scale})`,
  );
  const textScale = 2 * width * scale >= 1000 ? 2 : 1;
  const rowHeight = (FONT_CELL.height + 4) * textScale;
  const legendHeight = options.legend ? LEGEND_ROWS * rowHeight + 8 * textScale : 0;
  return {
    scale,
    viewWidth: width * scale,
    viewHeight: height * scale,
    legendTop: height * scale,
    legendHeight,
    textScale,
  };
}

function percent(n: number, total: number): string {
  return `${total ? ((100 * n) / total).toFixed(1) : '0.0'}%`;
}

function darken(image: RgbImage, dim: number): void {
  const keep = 1 - Math.min(1, Math.max(0, dim));
  for (let i = 0; i < image.data.length; i++) image.data[i] = Math.round(image.data[i] * keep);
}

/**
 * Draws a view pair side by side (A left, B right) with a readable subsample of its correspondences:
 * MATCH samples as lines from A's pixel centre to the stored subpixel position in B, coloured by the
 * position in A (`positionColour`), with a dot at each end; OCCLUDED samples as white "x", OUT_OF_VIEW
 * as black "+" and MISS as grey dots, at their pixel in A. Under the views, a legend band gives the
 * pair's key, size, status fractions (counted from `status`) and the symbols.
 *
 * Pure: returns a new picture (see `overlayLayout` for its size) and the indices of the drawn samples.
 */
export function drawCorrespondenceOverlay(
  sample: ViewPairSample,
  options: Partial<OverlayOptions> = {},
): CorrespondenceOverlay {
  const o = { ...DEFAULT_OVERLAY_OPTIONS, ...options };
  const { width: w, height: h, key } = sample.meta;
  const k = sample.aIndex.length;
  assert(
    sample.status.length === k && sample.bXY.length === 2 * k,
    'BAD_ARGUMENT',
    () =>
      `drawCorrespondenceOverlay: ${key}: aIndex, status and bXY disagree (got ${k}, ${sample.status.length}, ${sample.bXY.length / 2} samples)`,
  );
  const layout = overlayLayout(w, h, o);
  const { scale: s, viewWidth } = layout;
  const image = createRgbImage(
    2 * viewWidth,
    layout.viewHeight + layout.legendHeight,
    LEGEND_COLOURS.background,
  );

  // Pixel centres of A's samples, in A's pixel coordinates.
  const ua = new Float32Array(k);
  const va = new Float32Array(k);
  const byStatus: number[][] = [[], [], [], []];
  for (let i = 0; i < k; i++) {
    ua[i] = (sample.aIndex[i] % w) + 0.5;
    va[i] = Math.floor(sample.aIndex[i] / w) + 0.5;
    byStatus[sample.status[i]]?.push(i);
  }
  const rng = createRng(o.seed);
  const pick = (status: CorrespondenceStatus, count: number) =>
    spreadSample(ua, va, byStatus[status], count, rng).sort((a, b) => a - b);
  const drawn = {
    match: pick(CorrespondenceStatus.MATCH, o.matches),
    occluded: pick(CorrespondenceStatus.OCCLUDED, o.occluded),
    outOfView: pick(CorrespondenceStatus.OUT_OF_VIEW, o.outOfView),
    miss: pick(CorrespondenceStatus.MISS, o.miss),
  };

  const [viewA, viewB] = [sample.rgbA, sample.rgbB].map((rgb) => {
    const view = upscaleNearest(wrapRgb(rgb, w, h), s);
    darken(view, o.dim);
    return view;
  });
  // The marks of samples without a match go onto view A alone, so that they never spill into B.
  const r = Math.max(2, 1.5 * s);
  const lineWidth = s >= 3 ? 2 : 1;
  for (const i of drawn.miss) drawMissMark(viewA, ua[i] * s, va[i] * s, r);
  for (const i of drawn.occluded) drawOccludedMark(viewA, ua[i] * s, va[i] * s, r, lineWidth);
  for (const i of drawn.outOfView) drawOutOfViewMark(viewA, ua[i] * s, va[i] * s, r, lineWidth);
  blit(image, viewA, 0, 0);
  blit(image, viewB, viewWidth, 0);
  for (const i of drawn.match) {
    const colour = positionColour(ua[i], va[i], w, h);
    const ub = sample.bXY[2 * i] * s + viewWidth;
    const vb = sample.bXY[2 * i + 1] * s;
    drawLine(image, ua[i] * s, va[i] * s, ub, vb, colour, { alpha: 0.85, width: lineWidth });
    drawDisc(image, ua[i] * s, va[i] * s, r / 1.5, colour);
    drawDisc(image, ub, vb, r / 1.5, colour);
  }
  if (o.legend) drawLegend(image, sample, layout, byStatus, drawn);
  return { image, layout, drawn };
}

function drawMissMark(image: RgbImage, u: number, v: number, r: number): void {
  drawDisc(image, u, v, r / 1.5 + 1, STATUS_MARKER_COLOURS.halo);
  drawDisc(image, u, v, r / 1.5, STATUS_MARKER_COLOURS.miss);
}

// Markers are a core stroke over a halo two pixels wider, so they read on light and dark views alike.
function drawOccludedMark(image: RgbImage, u: number, v: number, r: number, core: number): void {
  for (const [colour, width] of [
    [STATUS_MARKER_COLOURS.halo, core + 2],
    [STATUS_MARKER_COLOURS.occluded, core],
  ] as const) {
    drawLine(image, u - r, v - r, u + r, v + r, colour, { width });
    drawLine(image, u - r, v + r, u + r, v - r, colour, { width });
  }
}

function drawOutOfViewMark(image: RgbImage, u: number, v: number, r: number, core: number): void {
  for (const [colour, width] of [
    [STATUS_MARKER_COLOURS.occluded, core + 2],
    [STATUS_MARKER_COLOURS.outOfView, core],
  ] as const) {
    drawLine(image, u - r, v, u + r, v, colour, { width });
    drawLine(image, u, v - r, u, v + r, colour, { width });
  }
}

function drawLegend(
  image: RgbImage,
  sample: ViewPairSample,
  layout: OverlayLayout,
  byStatus: number[][],
  drawn: CorrespondenceOverlay['drawn'],
): void {
  const ts = layout.textScale;
  const text = LEGEND_COLOURS.text;
  const rowHeight = (FONT_CELL.height + 4) * ts;
  const k = sample.aIndex.length;
  const { width: w, height: h } = sample.meta;
  const [match, occluded, outOfView, miss] = byStatus.map((b) => b.length);
  const x0 = 6 * ts;
  const row = (i: number) => layout.legendTop + 5 * ts + i * rowHeight;
  const put = (x: number, y: number, str: string, colour: Rgb = text) =>
    x + drawText(image, str, x, y, colour, { scale: ts });

  put(
    x0,
    row(0),
    `${sample.meta.key}  room ${sample.meta.room?.id ?? '?'}  ${w}x${h}  ${k} sampled pixels of A  (left A, right B)`,
  );
  put(
    x0,
    row(1),
    `match ${percent(match, k)}   occluded ${percent(occluded, k)}   out of view ${percent(outOfView, k)}   miss ${percent(miss, k)}`,
  );
  // Row 2: a short line in a few position colours stands for "coloured by position in A".
  const y2 = row(2) + 3 * ts;
  for (let j = 0; j < 5; j++) {
    drawLine(image, x0 + j * 4 * ts, y2, x0 + (j + 1) * 4 * ts, y2, positionColour(j + 0.5, h / 3, 5, h), {
      width: ts + 1,
    });
  }
  put(
    x0 + 24 * ts,
    row(2),
    `match: A pixel -> B position, colour = position in A (${drawn.match.length} of ${match} shown)`,
  );
  // Row 3: the markers of the other statuses.
  const y3 = row(3) + 3 * ts;
  const r = 3 * ts;
  const gap = r + 5 * ts;
  let x = x0 + r;
  drawOccludedMark(image, x, y3, r, ts);
  x = put(x + gap, row(3), `occluded (${drawn.occluded.length} of ${occluded})`) + 8 * ts + r;
  drawOutOfViewMark(image, x, y3, r, ts);
  x = put(x + gap, row(3), `out of view (${drawn.outOfView.length} of ${outOfView})`) + 8 * ts + r;
  drawMissMark(image, x, y3, r);
  put(x + gap, row(3), `miss (${drawn.miss.length} of ${miss})`);
}
