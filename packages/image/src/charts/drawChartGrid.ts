import { CHART_COLOURS } from '../constants.ts';
import { assert, ImageError } from '../errors.ts';
import { blit, createRgbImage, type RgbImage } from '../raster/RgbImage.ts';
import { drawLineChart } from './drawLineChart.ts';
import type { ChartSeries, LineChartOptions } from './lineChartLayout.ts';

/** One chart of a grid: the arguments of `drawLineChart`. */
export interface ChartSpec {
  series: readonly ChartSeries[];
  options?: Partial<LineChartOptions>;
}

/**
 * Draws several line charts into one picture, row by row, `columns` per row (fewer when there are
 * fewer charts): e.g. the loss, its within/between terms and the learning rate of a run side by side.
 * Every cell is as large as the largest chart; smaller charts sit at their cell's top left.
 * Errors of a chart are rethrown with its index.
 */
export function drawChartGrid(charts: readonly ChartSpec[], columns: number): RgbImage {
  assert(charts.length > 0, 'EMPTY_CHART', () => 'drawChartGrid: no charts (got 0, expected at least 1)');
  assert(
    Number.isInteger(columns) && columns >= 1,
    'BAD_ARGUMENT',
    () => `drawChartGrid: columns must be an integer >= 1 (got ${columns})`,
  );
  const images = charts.map((chart, i) => {
    try {
      return drawLineChart(chart.series, chart.options);
    } catch (err) {
      if (err instanceof ImageError)
        throw new ImageError(err.code, `drawChartGrid: chart ${i}: ${err.message}`);
      throw err;
    }
  });
  const cols = Math.min(columns, images.length);
  const cellWidth = Math.max(...images.map((im) => im.width));
  const cellHeight = Math.max(...images.map((im) => im.height));
  const grid = createRgbImage(
    cols * cellWidth,
    Math.ceil(images.length / cols) * cellHeight,
    CHART_COLOURS.background,
  );
  images.forEach((im, i) => {
    blit(grid, im, (i % cols) * cellWidth, Math.floor(i / cols) * cellHeight);
  });
  return grid;
}
