import { CHART_COLOURS, SERIES_COLOURS } from '../constants.ts';
import { drawText, FONT_CELL, textWidth } from '../raster/bitmapFont.ts';
import { drawDisc, drawLine } from '../raster/drawShapes.ts';
import { blit, createRgbImage, fillRect, type RgbImage } from '../raster/RgbImage.ts';
import { clipSegment } from './clipSegment.ts';
import { decimatePolyline } from './decimatePolyline.ts';
import {
  axisFraction,
  type ChartSeries,
  chartPoint,
  DEFAULT_LINE_CHART_OPTIONS,
  isPlottable,
  LEGEND_SWATCH,
  type LineChartOptions,
  layoutChart,
  TICK_LENGTH,
} from './lineChartLayout.ts';

/**
 * Draws training curves (or any y-over-x series) as a line chart: framed plot area with grid lines at
 * nice tick values, tick labels, optional title and axis labels, and a legend of the series names in
 * their colours. Consecutive plottable points of a series are joined by straight lines (points that
 * are NaN / Infinity, or y <= 0 with `logY`, are skipped, so their neighbours are joined); a series
 * with a single plottable point is drawn as a dot. Later series are drawn over earlier ones. Long
 * series are reduced to at most four vertices per pixel column (decimatePolyline), so the cost grows
 * with the plot's width, not the number of points (100k noisy points: ~0.15 s). The x range fits the
 * data exactly; y fits it with 5% headroom unless `yRange` is given. Where everything goes is
 * `lineChartLayout(series, options)`.
 *
 * Throws ImageError('EMPTY_CHART') without series or without any plottable point, and
 * ImageError('BAD_ARGUMENT') for bad options or a picture too small for its labels.
 */
export function drawLineChart(
  series: readonly ChartSeries[],
  options: Partial<LineChartOptions> = {},
): RgbImage {
  const o = { ...DEFAULT_LINE_CHART_OPTIONS, ...options };
  const layout = layoutChart(series, o, 'drawLineChart');
  const { plot, xTicks, yTicks, logY } = layout;
  const s = o.textScale;
  const text = CHART_COLOURS.text;
  const image = createRgbImage(layout.width, layout.height, CHART_COLOURS.background);

  // The plot area is drawn on its own picture so that thick lines and grid stay inside it.
  const area = createRgbImage(plot.width, plot.height, CHART_COLOURS.plot);
  const column = (x: number) => Math.floor(axisFraction(x, layout.xDomain, false) * (plot.width - 1) + 0.5);
  const row = (y: number) =>
    Math.floor((1 - axisFraction(y, layout.yDomain, logY)) * (plot.height - 1) + 0.5);
  for (const y of yTicks.minor) fillRect(area, 0, row(y), plot.width, 1, CHART_COLOURS.minorGrid);
  for (const y of yTicks.major) fillRect(area, 0, row(y), plot.width, 1, CHART_COLOURS.grid);
  for (const x of xTicks.major) fillRect(area, column(x), 0, 1, plot.height, CHART_COLOURS.grid);

  // Segments are clipped to the plot (plus a line width) before drawing: drawLine steps pixel by pixel.
  const m = o.lineWidth + 1;
  series.forEach((ser, i) => {
    const colour = ser.colour ?? SERIES_COLOURS[i % SERIES_COLOURS.length];
    const path: [number, number][] = [];
    for (const [x, y] of ser.points) {
      if (!isPlottable(x, y, logY)) continue;
      const [u, v] = chartPoint(layout, x, y);
      path.push([u - plot.x, v - plot.y]);
    }
    if (path.length === 1) drawDisc(area, path[0][0], path[0][1], Math.max(3, 1.5 * o.lineWidth), colour);
    const kept = decimatePolyline(path);
    for (let k = 1; k < kept.length; k++) {
      const [u0, v0] = kept[k - 1];
      const [u1, v1] = kept[k];
      const seg = clipSegment(u0, v0, u1, v1, -m, -m, plot.width + m, plot.height + m);
      if (seg) drawLine(area, seg[0], seg[1], seg[2], seg[3], colour, { width: o.lineWidth });
    }
  });
  blit(image, area, plot.x, plot.y);

  // Frame on the border just outside the plot area, ticks pointing out of it.
  const frame = CHART_COLOURS.frame;
  const bottom = plot.y + plot.height;
  fillRect(image, plot.x - 1, plot.y - 1, plot.width + 2, 1, frame);
  fillRect(image, plot.x - 1, bottom, plot.width + 2, 1, frame);
  fillRect(image, plot.x - 1, plot.y - 1, 1, plot.height + 2, frame);
  fillRect(image, plot.x + plot.width, plot.y - 1, 1, plot.height + 2, frame);
  const glyph = (FONT_CELL.height - 1) * s;
  xTicks.major.forEach((x, i) => {
    const u = plot.x + column(x);
    fillRect(image, u, bottom + 1, 1, TICK_LENGTH, frame);
    const label = xTicks.labels[i];
    const w = textWidth(label, s);
    const left = Math.min(layout.width - w, Math.max(0, u - Math.floor(w / 2)));
    drawText(image, label, left, bottom + 1 + TICK_LENGTH + 3, text, { scale: s });
  });
  yTicks.major.forEach((y, i) => {
    const v = plot.y + row(y);
    fillRect(image, plot.x - 1 - TICK_LENGTH, v, TICK_LENGTH, 1, frame);
    const label = yTicks.labels[i];
    const w = textWidth(label, s);
    drawText(image, label, plot.x - 1 - TICK_LENGTH - 3 - w, v - Math.floor(glyph / 2), text, { scale: s });
  });

  if (layout.title) {
    drawText(image, o.title, layout.title.x, layout.title.y, text, { scale: layout.title.scale });
  }
  if (layout.xLabel) drawText(image, o.xLabel, layout.xLabel.x, layout.xLabel.y, text, { scale: s });
  if (layout.yLabel) drawText(image, o.yLabel, layout.yLabel.x, layout.yLabel.y, text, { scale: s });
  series.forEach((ser, i) => {
    const colour = ser.colour ?? SERIES_COLOURS[i % SERIES_COLOURS.length];
    const { x, y } = layout.legendItems[i];
    const thickness = Math.max(2, Math.round(o.lineWidth));
    fillRect(image, x, y + Math.floor((glyph - thickness) / 2), LEGEND_SWATCH, thickness, colour);
    drawText(image, ser.name, x + LEGEND_SWATCH + 4, y, colour, { scale: s });
  });
  return image;
}
