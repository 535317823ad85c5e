import { describe, expect, it } from 'vitest';
import { CHART_COLOURS } from '../constants.ts';
import { ImageError } from '../errors.ts';
import { textWidth } from '../raster/bitmapFont.ts';
import { getPixel, type Rgb, type RgbImage } from '../raster/RgbImage.ts';
import { drawChartGrid } from './drawChartGrid.ts';
import { drawLineChart } from './drawLineChart.ts';
import { type ChartSeries, chartPoint, LEGEND_SWATCH, lineChartLayout } from './lineChartLayout.ts';

const RED: Rgb = [255, 0, 0];
const same = (a: readonly number[], b: readonly number[]) => a[0] === b[0] && a[1] === b[1] && a[2] === b[2];

/** Pixels of `colour` in the rectangle [x0, x1) x [y0, y1). */
function count(image: RgbImage, colour: Rgb, x0: number, y0: number, x1: number, y1: number): number {
  let n = 0;
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) if (same(getPixel(image, x, y), colour)) n++;
  return n;
}

describe('drawLineChart', () => {
  it('draws a line from corner to corner of the plot area through every column', () => {
    const series: ChartSeries[] = [
      {
        name: 'diagonal',
        points: [
          [0, 0],
          [1, 1],
        ],
        colour: RED,
      },
    ];
    const options = { yRange: [0, 1] as const, lineWidth: 1, title: 't', xLabel: 'x', yLabel: 'y' };
    const { plot } = lineChartLayout(series, options);
    const image = drawLineChart(series, options);
    expect([image.width, image.height]).toEqual([640, 400]);
    expect(plot.width).toBeGreaterThan(500);
    expect(plot.height).toBeGreaterThan(250);
    const bottom = plot.y + plot.height - 1;
    expect(getPixel(image, plot.x, bottom)).toEqual(RED);
    expect(getPixel(image, plot.x + plot.width - 1, plot.y)).toEqual(RED);
    for (let c = 0; c < plot.width; c++) {
      const expected = bottom - (c * (plot.height - 1)) / (plot.width - 1);
      const hits = [-1, 0, 1].filter((d) => same(getPixel(image, plot.x + c, Math.round(expected) + d), RED));
      expect(hits.length, `column ${c}`).toBeGreaterThan(0);
    }
    // Nothing red in the plot area away from the line, none in the frame.
    let stray = 0;
    for (let y = plot.y; y <= bottom; y++) {
      for (let x = plot.x; x < plot.x + plot.width; x++) {
        const lineY = bottom - ((x - plot.x) * (plot.height - 1)) / (plot.width - 1);
        if (Math.abs(y - lineY) > 1.5 && same(getPixel(image, x, y), RED)) stray++;
      }
    }
    expect(stray).toBe(0);
    expect(getPixel(image, plot.x - 1, bottom)).toEqual(CHART_COLOURS.frame);
    expect(getPixel(image, plot.x + plot.width, plot.y)).toEqual(CHART_COLOURS.frame);
  });

  it('maps decades evenly on a log axis and labels them', () => {
    const points: [number, number][] = [
      [0, 1e-3],
      [1, 1e-2],
      [2, 1e-1],
      [3, 1],
      [4, 0], // skipped: not positive
      [5, -1],
    ];
    const series: ChartSeries[] = [{ name: 'loss', points, colour: RED }];
    const options = { logY: true, yRange: [1e-3, 1] as const };
    const layout = lineChartLayout(series, options);
    expect(layout.yTicks.major).toEqual([0.001, 0.01, 0.1, 1]);
    expect(layout.yTicks.labels).toEqual(['0.001', '0.01', '0.1', '1']);
    const v = [1e-3, 1e-2, 1e-1, 1].map((y) => chartPoint(layout, 0, y)[1]);
    const third = (layout.plot.height - 1) / 3;
    expect(v[0]).toBeCloseTo(layout.plot.y + layout.plot.height - 0.5, 9);
    for (let i = 1; i < 4; i++) expect(v[i - 1] - v[i]).toBeCloseTo(third, 9);
    // The x range stops at the last plottable point (x = 3), and each decade's point is on the line.
    expect(layout.xDomain).toEqual([0, 3]);
    const image = drawLineChart(series, options);
    points.slice(0, 4).forEach(([x, y]) => {
      const [u, w] = chartPoint(layout, x, y);
      expect(
        getPixel(image, Math.min(Math.floor(u), layout.plot.x + layout.plot.width - 1), Math.floor(w)),
      ).toEqual(RED);
    });
    // Grid lines at the decades, evenly spaced rows.
    const rows = layout.yTicks.major.map((y) => Math.floor(chartPoint(layout, 0, y)[1]));
    expect(rows[0] - rows[1]).toBeGreaterThanOrEqual(rows[1] - rows[2] - 1);
    expect(rows[0] - rows[1]).toBeLessThanOrEqual(rows[1] - rows[2] + 1);
  });

  it('prints the legend: each name in its colour next to a swatch, above the plot', () => {
    const series: ChartSeries[] = [
      {
        name: 'within',
        points: [
          [0, 1],
          [1, 0.5],
        ],
        colour: [200, 30, 30],
      },
      {
        name: 'between',
        points: [
          [0, 0.8],
          [1, 0.2],
        ],
        colour: [30, 30, 200],
      },
    ];
    const layout = lineChartLayout(series, { title: 'loss terms' });
    const image = drawLineChart(series, { title: 'loss terms' });
    expect(layout.legend.y + layout.legend.height).toBeLessThan(layout.plot.y);
    series.forEach((s, i) => {
      const { x, y } = layout.legendItems[i];
      const colour = s.colour as Rgb;
      expect(count(image, colour, x, y, x + LEGEND_SWATCH, y + 7)).toBeGreaterThanOrEqual(LEGEND_SWATCH * 2);
      const textX = x + LEGEND_SWATCH + 4;
      const inText = count(image, colour, textX, y, textX + textWidth(s.name), y + 7);
      expect(inText).toBeGreaterThan(5 * s.name.length);
    });
    // The two entries do not overlap and stay inside the picture.
    expect(layout.legendItems[0].x + LEGEND_SWATCH + 4 + textWidth('within')).toBeLessThan(
      layout.legendItems[1].x,
    );
    expect(layout.legend.x + layout.legend.width).toBeLessThanOrEqual(image.width);
  });

  it('wraps a long legend onto more rows instead of running off the picture', () => {
    const series: ChartSeries[] = Array.from({ length: 8 }, (_, i) => ({
      name: `a rather long series name ${i}`,
      points: [
        [0, i],
        [1, i + 1],
      ] as [number, number][],
    }));
    const layout = lineChartLayout(series, { width: 400, height: 400 });
    const rows = new Set(layout.legendItems.map((p) => p.y));
    expect(rows.size).toBeGreaterThan(2);
    for (const p of layout.legendItems) expect(p.x).toBeGreaterThanOrEqual(0);
    expect(layout.legend.x + layout.legend.width).toBeLessThanOrEqual(400);
  });

  it('skips NaN and Infinity points (their neighbours are joined)', () => {
    const options = { yRange: [0, 1] as const };
    const clean = drawLineChart(
      [
        {
          name: 's',
          points: [
            [0, 0],
            [1, 1],
          ],
        },
      ],
      options,
    );
    const holes = drawLineChart(
      [
        {
          name: 's',
          points: [
            [0, 0],
            [0.5, Number.NaN],
            [Number.POSITIVE_INFINITY, 0.3],
            [0.7, Number.NEGATIVE_INFINITY],
            [1, 1],
          ],
        },
      ],
      options,
    );
    // Buffer.equals: vitest's deep equality walks 768000 bytes one by one for seconds.
    expect(Buffer.from(holes.data).equals(Buffer.from(clean.data))).toBe(true);
  });

  it('draws a single point as a dot in the middle of a padded range', () => {
    const series: ChartSeries[] = [{ name: 'one', points: [[5, 0.3]], colour: RED }];
    const layout = lineChartLayout(series);
    expect(layout.xDomain[0]).toBeLessThan(5);
    expect(layout.xDomain[1]).toBeGreaterThan(5);
    const [u, v] = chartPoint(layout, 5, 0.3);
    expect(Math.abs(u - (layout.plot.x + layout.plot.width / 2))).toBeLessThan(1);
    expect(Math.abs(v - (layout.plot.y + layout.plot.height / 2))).toBeLessThan(1);
    const image = drawLineChart(series);
    expect(getPixel(image, Math.floor(u), Math.floor(v))).toEqual(RED);
    const { plot } = layout;
    expect(count(image, RED, plot.x, plot.y, plot.x + plot.width, plot.y + plot.height)).toBeLessThan(30);
  });

  it('draws thousands of points and clips spikes beyond a fixed yRange', () => {
    const points: [number, number][] = Array.from({ length: 20000 }, (_, i) => [i, 1 + Math.sin(i / 300)]);
    points[5000] = [5000, 1e30];
    const series: ChartSeries[] = [{ name: 'long', points, colour: RED }];
    const image = drawLineChart(series, { yRange: [0, 2.2] });
    const layout = lineChartLayout(series, { yRange: [0, 2.2] });
    const { plot } = layout;
    // The spike reaches the top edge of the plot, never above it.
    const spike = Math.floor(chartPoint(layout, 5000, 2)[0]);
    expect(count(image, RED, spike - 2, plot.y, spike + 3, plot.y + 1)).toBeGreaterThan(0);
    const legendBottom = layout.legend.y + layout.legend.height;
    expect(count(image, RED, 0, legendBottom, image.width, plot.y)).toBe(0);
    expect(getPixel(image, spike, plot.y - 1)).toEqual(CHART_COLOURS.frame);
    // Auto x ticks: a few round numbers with short labels.
    expect(layout.xTicks.labels.length).toBeGreaterThanOrEqual(3);
    expect(layout.xTicks.labels.length).toBeLessThanOrEqual(8);
    expect(layout.xTicks.labels).toContain('10k');
  });

  it('fails clearly without series, without plottable points and with bad options', () => {
    const fail = (f: () => unknown, code: string, message: RegExp) => {
      try {
        f();
      } catch (err) {
        expect(err).toBeInstanceOf(ImageError);
        expect((err as ImageError).code).toBe(code);
        expect((err as Error).message).toMatch(message);
        return;
      }
      throw new Error('expected an ImageError');
    };
    fail(() => drawLineChart([]), 'EMPTY_CHART', /^drawLineChart: no series to draw \(got 0/);
    fail(
      () =>
        drawLineChart([
          { name: 'a', points: [] },
          { name: 'b', points: [[0, Number.NaN]] },
        ]),
      'EMPTY_CHART',
      /no plottable point in any series \(got a: 0, b: 1 points; NaN and Infinity are skipped\)/,
    );
    fail(
      () =>
        drawLineChart(
          [
            {
              name: 'a',
              points: [
                [0, 0],
                [1, -2],
              ],
            },
          ],
          { logY: true },
        ),
      'EMPTY_CHART',
      /y <= 0 on the log axis/,
    );
    fail(
      () => drawLineChart([{ name: 'a', points: [[0, 1]] }], { logY: true, yRange: [0, 1] }),
      'BAD_ARGUMENT',
      /yRange must be finite with bottom < top and bottom > 0 on a log axis \(got \[0, 1\]\)/,
    );
    fail(
      () => drawLineChart([{ name: 'a', points: [[0, 1]] }], { width: 60, height: 50 }),
      'BAD_ARGUMENT',
      /larger/,
    );
    fail(
      () => drawChartGrid([{ series: [] }], 2),
      'EMPTY_CHART',
      /^drawChartGrid: chart 0: drawLineChart: no series/,
    );
    fail(() => drawChartGrid([], 2), 'EMPTY_CHART', /no charts/);
  });
});

describe('drawChartGrid', () => {
  it('puts the charts row by row into equal cells', () => {
    const a: ChartSeries[] = [
      {
        name: 'loss',
        points: [
          [0, 2],
          [10, 1],
        ],
      },
    ];
    const b: ChartSeries[] = [
      {
        name: 'lr',
        points: [
          [0, 0],
          [10, 1e-3],
        ],
      },
    ];
    const grid = drawChartGrid(
      [
        { series: a, options: { title: 'loss', width: 300, height: 200 } },
        { series: b, options: { width: 320, height: 180 } },
        { series: a, options: { width: 300, height: 200, logY: true } },
      ],
      2,
    );
    expect([grid.width, grid.height]).toEqual([640, 400]);
    const first = drawLineChart(a, { title: 'loss', width: 300, height: 200 });
    const third = drawLineChart(a, { width: 300, height: 200, logY: true });
    for (let y = 0; y < 200; y += 7) {
      for (let x = 0; x < 300; x += 5) {
        expect(getPixel(grid, x, y)).toEqual(getPixel(first, x, y));
        expect(getPixel(grid, x, 200 + y)).toEqual(getPixel(third, x, y));
      }
    }
    // The empty fourth cell and the strip beside the narrower first chart stay background.
    expect(count(grid, CHART_COLOURS.background, 320, 200, 640, 400)).toBe(320 * 200);
    expect(count(grid, CHART_COLOURS.background, 300, 0, 320, 200)).toBe(20 * 200);
  });
});
