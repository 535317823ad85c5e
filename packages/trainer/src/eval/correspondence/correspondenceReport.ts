import type { LossNorm } from '../../constants.ts';
import type { CorrespondenceMetrics } from './correspondenceBenchmark.ts';
import { type CorrespondenceEvaluation, QUERY_SURFACES } from './evaluateCorrespondence.ts';

/** The correspondence benchmark as written to JSON (`pnpm eval correspondence --out FILE`). */
export interface CorrespondenceReport extends CorrespondenceEvaluation {
  benchmark: 'correspondence';
  /** The evaluated run: directory, checkpoint step, backbone, channels, training norm and data. */
  run: {
    dir: string;
    step: number;
    model: '2d' | '3d';
    outChannels: number;
    norm: LossNorm;
    /** The run's training shards and their generator seed, when it trained on shards. */
    trainData: string | null;
    trainSeed: number | null;
  };
  /** The held-out dataset: directory and generator seed (from its manifest; null without one). */
  data: { dir: string; seed: number | null };
  /** Search distance. */
  norm: LossNorm;
  /** Most MATCH queries per pair (null = all) and the seed of their subsample. */
  queriesPerPair: number | null;
  querySeed: number;
  /** Seed of the randomly initialised baseline network. */
  initSeed: number;
  thresholds: number[];
  /** tfjs backend and device of the forward passes. */
  backend: string;
}

const percent = (x: number) => (Number.isNaN(x) ? '-' : `${(100 * x).toFixed(1)}%`);

/**
 * The report as markdown: one line saying what was measured, the table (one row per method), and with
 * instance maps the same split by the surface of the query pixel.
 */
export function correspondenceMarkdown(report: CorrespondenceReport): string {
  const q = report.queriesPerPair === null ? 'all' : `up to ${report.queriesPerPair}`;
  const seed = report.data.seed === null ? '' : `, seed ${report.data.seed}`;
  const lines = [
    `Correspondence benchmark: ${report.pairs} held-out pairs of ${report.data.dir} (${report.width}x${report.height}${seed}), ` +
      `${q} MATCH queries per pair (query seed ${report.querySeed}), nearest neighbour over all pixels of B, ` +
      `${report.norm} norm. Run ${report.run.dir} at step ${report.run.step} (${report.run.model} U-Net, ` +
      `${report.run.outChannels} channels); random-init seed ${report.initSeed}.`,
  ];
  const header = [
    `| descriptors | queries | median error (px) | ${report.thresholds.map((t) => `PCK@${t}`).join(' | ')} |`,
    `|---|--:|--:|${report.thresholds.map(() => '--:').join('|')}|`,
  ];
  const row = (name: string, m: CorrespondenceMetrics) => {
    const pck = report.thresholds.map((t) => percent(m.pck[String(t)]));
    const median = Number.isNaN(m.medianError) ? '-' : m.medianError.toFixed(2);
    return `| ${name} | ${m.queries} | ${median} | ${pck.join(' | ')} |`;
  };
  lines.push('', ...header, ...report.rows.map((r) => row(r.name, r)), '');
  if (report.rows.every((r) => r.bySurface)) {
    lines.push('By surface of the query pixel in A: room (walls, floor, ceiling) or placed objects.', '');
    lines.push(...header);
    for (const surface of QUERY_SURFACES) {
      for (const r of report.rows) {
        if (r.bySurface) lines.push(row(`${r.name}, ${surface}`, r.bySurface[surface]));
      }
    }
    lines.push('');
  }
  for (const r of report.rows) lines.push(`- ${r.name}: ${r.description}`);
  return `${lines.join('\n')}\n`;
}
