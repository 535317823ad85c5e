import { assert } from '../errors.ts';
import { FONT_CELL, textWidth } from '../raster/bitmapFont.ts';
import type { Rgb } from '../raster/RgbImage.ts';
import { type AxisTicks, axisTicks } from './axisTicks.ts';

/** One curve of a line chart. */
export interface ChartSeries {
  /** Legend name (printable ASCII; other characters print as '?'). */
  name: string;
  /** Data points (x, y) in drawing order; NaN / Infinity (and y <= 0 on a log axis) are skipped. */
  points: readonly (readonly [x: number, y: number])[];
  /** Line colour; default SERIES_COLOURS by the series' index. */
  colour?: Rgb;
}

/** Options of `drawLineChart` / `lineChartLayout`. */
export interface LineChartOptions {
  /** Picture width in pixels. */
  width: number;
  /** Picture height in pixels. */
  height: number;
  /** Title above the chart, at twice the text scale; '' for none. */
  title: string;
  /** Label under the x axis; '' for none. */
  xLabel: string;
  /** Label above the y axis (horizontal, top left); '' for none. */
  yLabel: string;
  /** Log10 y axis; points with y <= 0 are skipped. */
  logY: boolean;
  /** Fixed y range [bottom, top] in data units (points beyond are clipped), or null to fit the data with 5% headroom. */
  yRange: readonly [number, number] | null;
  /** Line thickness in pixels. */
  lineWidth: number;
  /** Size of one font pixel in picture pixels (integer >= 1): 1 gives 7-pixel-tall labels. */
  textScale: number;
}

/** Defaults: 640 x 400, no labels, linear y fitted to the data, 2-pixel lines, 1x text. */
export const DEFAULT_LINE_CHART_OPTIONS: LineChartOptions = {
  width: 640,
  height: 400,
  title: '',
  xLabel: '',
  yLabel: '',
  logY: false,
  yRange: null,
  lineWidth: 2,
  textScale: 1,
};

/** An axis-aligned rectangle of pixels: top-left (x, y), size width x height. */
export interface ChartRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Where `drawLineChart` puts everything, in picture pixels (top-left origin, y down). */
export interface LineChartLayout {
  width: number;
  height: number;
  /** The plot area; its frame is drawn on the one-pixel border just outside it. */
  plot: ChartRect;
  /** Data x at the centres of the plot's leftmost and rightmost pixel columns. */
  xDomain: readonly [number, number];
  /** Data y at the centres of the plot's bottom and top pixel rows. */
  yDomain: readonly [number, number];
  logY: boolean;
  xTicks: AxisTicks;
  yTicks: AxisTicks;
  /** Top-left corner and font scale of the title, null without one. */
  title: { x: number; y: number; scale: number } | null;
  /** Top-left corners of the axis labels, null without them. */
  xLabel: { x: number; y: number } | null;
  yLabel: { x: number; y: number } | null;
  /** Box around all legend entries. */
  legend: ChartRect;
  /** Top-left corner of each series' legend entry (swatch, then name), by series index. */
  legendItems: { x: number; y: number }[];
}

// Spacing in picture pixels.
const MARGIN = 12;
const GAP = 8;
/** Length of tick marks outside the frame. */
export const TICK_LENGTH = 4;
/** Length of the line swatch before each legend name. */
export const LEGEND_SWATCH = 18;
const LEGEND_SPACING = 18;
const MIN_PLOT = 16;

/** Whether a point can be drawn: finite, and y > 0 on a log axis. */
export function isPlottable(x: number, y: number, logY: boolean): boolean {
  return Number.isFinite(x) && Number.isFinite(y) && (!logY || y > 0);
}

/** Fraction 0..1 of `t` along `domain` (in log10 space on a log axis). */
export function axisFraction(t: number, domain: readonly [number, number], log: boolean): number {
  return log
    ? (Math.log10(t) - Math.log10(domain[0])) / (Math.log10(domain[1]) - Math.log10(domain[0]))
    : (t - domain[0]) / (domain[1] - domain[0]);
}

/**
 * Picture coordinates (u, v) of data point (x, y): the domain ends map to the centres of the plot's
 * edge pixels (x0 -> column plot.x, y0 -> row plot.y + plot.height - 1). Not clipped.
 */
export function chartPoint(layout: LineChartLayout, x: number, y: number): [u: number, v: number] {
  const { plot } = layout;
  return [
    plot.x + 0.5 + axisFraction(x, layout.xDomain, false) * (plot.width - 1),
    plot.y + 0.5 + (1 - axisFraction(y, layout.yDomain, layout.logY)) * (plot.height - 1),
  ];
}

/** [lo, hi] widened by `fraction` of its span on both sides (in log space on a log axis); a zero span opens up. */
function padDomain(lo: number, hi: number, log: boolean, fraction: number): [number, number] {
  if (log) {
    if (lo === hi) return [lo / Math.sqrt(10), hi * Math.sqrt(10)];
    const [l, h] = padDomain(Math.log10(lo), Math.log10(hi), false, fraction);
    return [10 ** l, 10 ** h];
  }
  if (lo === hi) {
    const pad = lo === 0 ? 1 : Math.abs(lo) * 0.1;
    return [lo - pad, hi + pad];
  }
  const pad = (hi - lo) * fraction;
  return [lo - pad, hi + pad];
}

/**
 * The densest ticks (at most 10 intervals, about one per `pitch` pixels) whose labels keep `clearance`
 * pixels apart along an axis `length` pixels long.
 */
function fitTicks(
  domain: readonly [number, number],
  log: boolean,
  length: number,
  pitch: number,
  labelExtent: (labels: string[]) => number,
  clearance: number,
): AxisTicks {
  for (let n = Math.max(2, Math.min(10, Math.floor(length / pitch))); n > 1; n--) {
    const ticks = axisTicks(domain[0], domain[1], n, log);
    const px = ticks.major.map((t) => axisFraction(t, domain, log) * (length - 1));
    let spacing = Number.POSITIVE_INFINITY;
    for (let i = 1; i < px.length; i++) spacing = Math.min(spacing, px[i] - px[i - 1]);
    if (spacing >= labelExtent(ticks.labels) + clearance) return ticks;
  }
  return axisTicks(domain[0], domain[1], 1, log);
}

/**
 * The layout `drawLineChart` draws with the same arguments: data domains, ticks and where every part
 * goes. Throws ImageError('EMPTY_CHART') without series or plottable points, ImageError('BAD_ARGUMENT')
 * for bad options or a picture too small for its labels.
 */
export function lineChartLayout(
  series: readonly ChartSeries[],
  options: Partial<LineChartOptions> = {},
): LineChartLayout {
  return layoutChart(series, { ...DEFAULT_LINE_CHART_OPTIONS, ...options }, 'lineChartLayout');
}

/** `lineChartLayout` with merged options; `caller` names the public function in error messages. */
export function layoutChart(
  series: readonly ChartSeries[],
  o: LineChartOptions,
  caller: string,
): LineChartLayout {
  const { width, height, logY } = o;
  assert(
    Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0,
    'BAD_ARGUMENT',
    () => `${caller}: width and height must be positive integers (got ${width}x${height})`,
  );
  assert(
    Number.isInteger(o.textScale) && o.textScale >= 1,
    'BAD_ARGUMENT',
    () => `${caller}: textScale must be an integer >= 1 (got ${o.textScale})`,
  );
  assert(
    Number.isFinite(o.lineWidth) && o.lineWidth > 0,
    'BAD_ARGUMENT',
    () => `${caller}: lineWidth must be a positive number of pixels (got ${o.lineWidth})`,
  );
  if (o.yRange) {
    const [lo, hi] = o.yRange;
    assert(
      Number.isFinite(lo) && Number.isFinite(hi) && lo < hi && (!logY || lo > 0),
      'BAD_ARGUMENT',
      () =>
        `${caller}: yRange must be finite with bottom < top${logY ? ' and bottom > 0 on a log axis' : ''} (got [${lo}, ${hi}])`,
    );
  }
  assert(series.length > 0, 'EMPTY_CHART', () => `${caller}: no series to draw (got 0, expected at least 1)`);

  let [x0, x1, y0, y1] = [Infinity, -Infinity, Infinity, -Infinity];
  for (const s of series) {
    for (const [x, y] of s.points) {
      if (!isPlottable(x, y, logY)) continue;
      x0 = Math.min(x0, x);
      x1 = Math.max(x1, x);
      y0 = Math.min(y0, y);
      y1 = Math.max(y1, y);
    }
  }
  assert(x0 <= x1, 'EMPTY_CHART', () => {
    const counts = series.map((s) => `${s.name}: ${s.points.length}`).join(', ');
    const skipped = logY ? 'NaN, Infinity and y <= 0 on the log axis' : 'NaN and Infinity';
    return `${caller}: no plottable point in any series (got ${counts} points; ${skipped} are skipped)`;
  });
  const xDomain = padDomain(x0, x1, false, 0);
  const yDomain: [number, number] = o.yRange ? [o.yRange[0], o.yRange[1]] : padDomain(y0, y1, logY, 0.05);

  const s = o.textScale;
  const glyph = (FONT_CELL.height - 1) * s;

  // Top down: title, header row (y label at the left, legend at the right), plot, x ticks, x label.
  let top = MARGIN;
  let title: LineChartLayout['title'] = null;
  if (o.title) {
    const scale = textWidth(o.title, 2 * s) <= width - 2 * MARGIN ? 2 * s : s;
    title = { x: Math.max(MARGIN, Math.round((width - textWidth(o.title, scale)) / 2)), y: top, scale };
    top += (FONT_CELL.height - 1) * scale + GAP;
  }
  const yLabelWidth = o.yLabel ? textWidth(o.yLabel, s) : 0;
  const legendSpace = width - 2 * MARGIN - (o.yLabel ? yLabelWidth + 2 * GAP : 0);
  const itemWidths = series.map((ser) => LEGEND_SWATCH + 4 + textWidth(ser.name, s));
  const rows: number[][] = [[]];
  let rowWidth = 0;
  itemWidths.forEach((w, i) => {
    const row = rows[rows.length - 1];
    if (row.length > 0 && rowWidth + LEGEND_SPACING + w > legendSpace) {
      rows.push([i]);
      rowWidth = w;
    } else {
      rowWidth += (row.length > 0 ? LEGEND_SPACING : 0) + w;
      row.push(i);
    }
  });
  const rowWidths = rows.map(
    (r) => r.reduce((a, i) => a + itemWidths[i], 0) + LEGEND_SPACING * (r.length - 1),
  );
  const lineHeight = glyph + 5;
  const legendWidth = Math.max(...rowWidths);
  const legend: ChartRect = {
    x: width - MARGIN - legendWidth,
    y: top,
    width: legendWidth,
    height: rows.length * lineHeight - 5,
  };
  const legendItems: { x: number; y: number }[] = [];
  rows.forEach((r, row) => {
    let x = legend.x;
    for (const i of r) {
      legendItems[i] = { x, y: legend.y + row * lineHeight };
      x += itemWidths[i] + LEGEND_SPACING;
    }
  });
  const yLabel = o.yLabel ? { x: MARGIN, y: top } : null;
  top += Math.max(legend.height, yLabel ? glyph : 0) + GAP;

  // Room above the plot for the upper half of a tick label on its top edge, and the frame.
  const plotTop = top + Math.ceil(glyph / 2) + 1;
  const xLabelTop = height - MARGIN - glyph;
  const plotBottom = (o.xLabel ? xLabelTop - GAP : height - MARGIN) - glyph - 3 - TICK_LENGTH - 1;
  const plotHeight = plotBottom - plotTop;
  const tooSmall = () =>
    `${caller}: a ${width}x${height} picture leaves no room for the plot next to its labels (plot area ` +
    `below ${MIN_PLOT}x${MIN_PLOT}); make the picture larger, the labels shorter or textScale smaller`;
  assert(plotHeight >= MIN_PLOT, 'BAD_ARGUMENT', tooSmall);
  const yTicks = fitTicks(yDomain, logY, plotHeight, 50, () => glyph, 10);
  const plotLeft = MARGIN + Math.max(0, ...yTicks.labels.map((l) => textWidth(l, s))) + 3 + TICK_LENGTH + 1;

  const widest = (labels: string[]) => Math.max(0, ...labels.map((l) => textWidth(l, s)));
  const roughWidth = width - MARGIN - plotLeft - 1;
  assert(roughWidth >= MIN_PLOT, 'BAD_ARGUMENT', tooSmall);
  const xTicks = fitTicks(xDomain, false, roughWidth, 90, widest, 12);
  // The last x label is centred on its tick and may stick out past the plot's right edge.
  const lastX = xTicks.labels.length > 0 ? textWidth(xTicks.labels[xTicks.labels.length - 1], s) : 0;
  const plotWidth = width - MARGIN - plotLeft - 1 - Math.ceil(lastX / 2);
  assert(plotWidth >= MIN_PLOT, 'BAD_ARGUMENT', tooSmall);
  const plot = { x: plotLeft, y: plotTop, width: plotWidth, height: plotHeight };

  const xLabel = o.xLabel
    ? {
        x: Math.max(0, Math.round(plot.x + (plot.width - textWidth(o.xLabel, s)) / 2)),
        y: xLabelTop,
      }
    : null;
  return {
    width,
    height,
    plot,
    xDomain,
    yDomain,
    logY,
    xTicks,
    yTicks,
    title,
    xLabel,
    yLabel,
    legend,
    legendItems,
  };
}
