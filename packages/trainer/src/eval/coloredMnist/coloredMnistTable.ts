import type { LossNorm } from '../../constants.ts';
import { assert } from '../../errors.ts';

/** One evaluated run of a Colored MNIST sweep; accuracies in [0, 1]. */
export interface ColoredMnistSweepResult {
  lambda: number;
  norm: LossNorm;
  seed: number;
  inDomain: number;
  outOfDomain: number;
  /** The backbone's `colorSensitivity`, when measured. */
  colorSensitivity?: number | null;
}

/** Mean and sample standard deviation (0 for a single value). */
export interface MeanStd {
  mean: number;
  std: number;
}

/** The runs of one (lambda, norm) cell, summarised, with the paper's figure when it has one. */
export interface ColoredMnistCell {
  lambda: number;
  norm: LossNorm;
  seeds: number;
  inDomain: MeanStd;
  outOfDomain: MeanStd;
  /** Over the seeds, null unless every run has it. */
  colorSensitivity: MeanStd | null;
  paper: { inDomain: number; outOfDomain: number } | null;
}

/**
 * The paper's figures (Pogorelyuk et al. 2025, mean of 10 seeds of its published runs): frozen
 * backbone + attention probe, accuracy in-domain / out-of-domain, in [0, 1].
 */
export const PAPER_COLORED_MNIST: readonly Readonly<Omit<ColoredMnistSweepResult, 'seed'>>[] = Object.freeze(
  (
    [
      [0, 'inf', 0.72, 0.717],
      [0, 'l1', 0.72, 0.721],
      [0, 'l2', 0.726, 0.725],
      [0.3, 'inf', 0.847, 0.101],
      [0.3, 'l1', 0.85, 0.101],
      [0.3, 'l2', 0.728, 0.729],
      [0.9, 'inf', 0.851, 0.099],
      [0.9, 'l1', 0.848, 0.099],
      [0.9, 'l2', 0.849, 0.101],
    ] as const
  ).map(([lambda, norm, inDomain, outOfDomain]) => ({ lambda, norm, inDomain, outOfDomain })),
);

function meanStd(values: number[]): MeanStd {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance =
    values.length > 1 ? values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1) : 0;
  return { mean, std: Math.sqrt(variance) };
}

/**
 * Groups sweep results by (lambda, norm), averages over seeds and attaches the paper's figure.
 * @returns cells sorted by lambda, then norm in the order inf, l1, l2
 */
export function summarizeColoredMnistSweep(results: readonly ColoredMnistSweepResult[]): ColoredMnistCell[] {
  for (const r of results) {
    assert(
      [r.inDomain, r.outOfDomain].every((a) => a >= 0 && a <= 1),
      'BAD_ARGUMENT',
      () => `summarizeColoredMnistSweep: accuracies must be in [0, 1] (got ${JSON.stringify(r)})`,
    );
  }
  const normOrder: LossNorm[] = ['inf', 'l1', 'l2'];
  const groups = new Map<string, ColoredMnistSweepResult[]>();
  for (const r of results) {
    const key = `${r.lambda}|${r.norm}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return [...groups.values()]
    .map((rs) => {
      const { lambda, norm } = rs[0];
      const paper = PAPER_COLORED_MNIST.find((p) => p.lambda === lambda && p.norm === norm);
      return {
        lambda,
        norm,
        seeds: rs.length,
        inDomain: meanStd(rs.map((r) => r.inDomain)),
        outOfDomain: meanStd(rs.map((r) => r.outOfDomain)),
        colorSensitivity: rs.every((r) => typeof r.colorSensitivity === 'number')
          ? meanStd(rs.map((r) => r.colorSensitivity as number))
          : null,
        paper: paper ? { inDomain: paper.inDomain, outOfDomain: paper.outOfDomain } : null,
      };
    })
    .sort((a, b) => a.lambda - b.lambda || normOrder.indexOf(a.norm) - normOrder.indexOf(b.norm));
}

const pct = (m: MeanStd, seeds: number) =>
  seeds > 1 ? `${(100 * m.mean).toFixed(1)} ± ${(100 * m.std).toFixed(1)}` : (100 * m.mean).toFixed(1);

/**
 * A markdown table in the paper's layout: one row per lambda, one column per norm, each cell
 * "in-domain / out-of-domain" in percent (mean ± sample std over seeds when there are several), with the
 * paper's figure in parentheses; a cell without runs is "-". `caption` (e.g. the budget) goes under it,
 * and a second table of the backbones' colour sensitivity when the runs have it.
 */
export function coloredMnistMarkdown(cells: readonly ColoredMnistCell[], caption = ''): string {
  const lambdas = [...new Set(cells.map((c) => c.lambda))].sort((a, b) => a - b);
  const norms = (['inf', 'l1', 'l2'] as const).filter((n) => cells.some((c) => c.norm === n));
  const lines = [
    `| lambda | ${norms.map((n) => `${n}: ours (paper)`).join(' | ')} |`,
    `|---|${norms.map(() => '---').join('|')}|`,
  ];
  for (const lambda of lambdas) {
    const row = norms.map((norm) => {
      const c = cells.find((x) => x.lambda === lambda && x.norm === norm);
      if (!c) return '-';
      const paper = c.paper
        ? ` (${(100 * c.paper.inDomain).toFixed(1)} / ${(100 * c.paper.outOfDomain).toFixed(1)})`
        : '';
      return `${pct(c.inDomain, c.seeds)} / ${pct(c.outOfDomain, c.seeds)}${paper}`;
    });
    lines.push(`| ${lambda} | ${row.join(' | ')} |`);
  }
  const counts = cells.map((c) => c.seeds);
  const [lo, hi] = [Math.min(...counts), Math.max(...counts)];
  const seeds = lo === hi ? `${lo} seed${lo > 1 ? 's' : ''}` : `${lo}-${hi} seeds`;
  lines.push(
    '',
    `Accuracy (%) of the attention probe on frozen descriptors, in-domain / out-of-domain; ours: ${seeds} ` +
      'per cell, paper: mean of 10 seeds.',
  );
  if (caption) lines.push(caption);
  if (cells.some((c) => c.colorSensitivity)) {
    lines.push('', `| lambda | ${norms.map((n) => `${n}: colour sensitivity`).join(' | ')} |`);
    lines.push(`|---|${norms.map(() => '---').join('|')}|`);
    for (const lambda of lambdas) {
      const row = norms.map((norm) => {
        const m = cells.find((x) => x.lambda === lambda && x.norm === norm)?.colorSensitivity;
        return m ? m.mean.toFixed(3) : '-';
      });
      lines.push(`| ${lambda} | ${row.join(' | ')} |`);
    }
    lines.push(
      '',
      'Colour sensitivity: descriptor distance between a digit and the same digit in the other colour, over ' +
        'the distance between different digits (0 = colour-blind; mean over seeds).',
    );
  }
  return `${lines.join('\n')}\n`;
}
