import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ChartSeries, drawChartGrid, writeRgbPng } from '@oxels/image';
import type { StepMetrics } from './StepMetrics.ts';

/**
 * Draws RUN/curves.png from RUN/metrics.jsonl: the loss with its within- and between-image terms, the
 * learning rate, and the gradient norm, against the step. Returns the PNG's path.
 */
export async function writeTrainingCurves(
  runDir: string,
  title = runDir.slice(runDir.lastIndexOf('/') + 1),
): Promise<string> {
  const metrics = readFileSync(join(runDir, 'metrics.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as StepMetrics);
  const series = (name: string, pick: (m: StepMetrics) => number): ChartSeries => ({
    name,
    points: metrics.map((m) => [m.step, pick(m)]),
  });
  const path = join(runDir, 'curves.png');
  const image = drawChartGrid(
    [
      {
        series: [
          series('loss', (m) => m.loss),
          series('within', (m) => m.within),
          series('between', (m) => m.between),
        ],
        options: { title: `${title}: loss`, xLabel: 'step', yLabel: 'loss', logY: true },
      },
      {
        series: [series('learning rate', (m) => m.lr)],
        options: { title: 'one-cycle schedule', xLabel: 'step', yLabel: 'lr' },
      },
      {
        series: [series('gradient norm', (m) => m.gradNorm)],
        options: { title: 'gradient norm (before clipping)', xLabel: 'step', logY: true },
      },
      {
        series: [series('pairs/s', (m) => m.pairsPerSecond)],
        options: { title: 'throughput', xLabel: 'step', yLabel: 'pairs/s' },
      },
    ],
    2,
  );
  await writeRgbPng(path, image);
  return path;
}
