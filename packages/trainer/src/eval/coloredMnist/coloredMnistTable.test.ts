import { describe, expect, it } from 'vitest';
import {
  type ColoredMnistSweepResult,
  coloredMnistMarkdown,
  PAPER_COLORED_MNIST,
  summarizeColoredMnistSweep,
} from './coloredMnistTable.ts';

const fake: ColoredMnistSweepResult[] = [
  { lambda: 0.9, norm: 'inf', seed: 0, inDomain: 0.86, outOfDomain: 0.1 },
  { lambda: 0, norm: 'inf', seed: 0, inDomain: 0.7, outOfDomain: 0.66 },
  { lambda: 0, norm: 'inf', seed: 1, inDomain: 0.74, outOfDomain: 0.7 },
  { lambda: 0, norm: 'l2', seed: 0, inDomain: 0.71, outOfDomain: 0.69 },
  { lambda: 0.5, norm: 'inf', seed: 0, inDomain: 0.8, outOfDomain: 0.2 },
];

describe('Colored MNIST sweep table', () => {
  it('averages seeds per (lambda, norm), sorts the cells and attaches the paper figures', () => {
    const cells = summarizeColoredMnistSweep(fake);
    expect(cells.map((c) => [c.lambda, c.norm, c.seeds])).toEqual([
      [0, 'inf', 2],
      [0, 'l2', 1],
      [0.5, 'inf', 1],
      [0.9, 'inf', 1],
    ]);
    expect(cells[0].inDomain.mean).toBeCloseTo(0.72, 12);
    expect(cells[0].outOfDomain.std).toBeCloseTo(Math.sqrt(0.0008), 12);
    expect(cells[1].outOfDomain.std).toBe(0);
    expect(cells[0].paper).toEqual({ inDomain: 0.72, outOfDomain: 0.717 });
    expect(cells[2].paper).toBeNull();
    expect(PAPER_COLORED_MNIST.length).toBe(9);
  });

  it("writes the paper's layout: rows lambda, columns norm, 'in / ood (paper)', '-' for missing cells", () => {
    const md = coloredMnistMarkdown(summarizeColoredMnistSweep(fake), 'Budget: 2 steps.');
    const lines = md.trim().split('\n');
    expect(lines[0]).toBe('| lambda | inf: ours (paper) | l2: ours (paper) |');
    expect(lines[1]).toBe('|---|---|---|');
    expect(lines[2]).toBe('| 0 | 72.0 ± 2.8 / 68.0 ± 2.8 (72.0 / 71.7) | 71.0 / 69.0 (72.6 / 72.5) |');
    expect(lines[3]).toBe('| 0.5 | 80.0 / 20.0 | - |');
    expect(lines[4]).toBe('| 0.9 | 86.0 / 10.0 (85.1 / 9.9) | - |');
    expect(lines.at(-1)).toBe('Budget: 2 steps.');
    expect(md).toMatch(/ours: 1-2 seeds per cell/);
    expect(coloredMnistMarkdown(summarizeColoredMnistSweep(fake.slice(0, 1)))).toMatch(
      /ours: 1 seed per cell/,
    );
  });

  it('adds a colour-sensitivity table when every run of a cell has one', () => {
    const measured = fake.map((r, i) => ({ ...r, colorSensitivity: i === 3 ? null : 0.02 * (i + 1) }));
    const cells = summarizeColoredMnistSweep(measured);
    expect(cells[0].colorSensitivity?.mean).toBeCloseTo(0.05, 12);
    expect(cells[1].colorSensitivity).toBeNull();
    const lines = coloredMnistMarkdown(cells).trim().split('\n');
    const at = lines.indexOf('| lambda | inf: colour sensitivity | l2: colour sensitivity |');
    expect(at).toBeGreaterThan(4);
    expect(lines.slice(at + 2, at + 5)).toEqual([
      '| 0 | 0.050 | - |',
      '| 0.5 | 0.100 | - |',
      '| 0.9 | 0.020 | - |',
    ]);
    expect(coloredMnistMarkdown(summarizeColoredMnistSweep(fake))).not.toMatch(/colour sensitivity/);
  });

  it('rejects accuracies outside [0, 1]', () => {
    expect(() => summarizeColoredMnistSweep([{ ...fake[0], inDomain: 86 }])).toThrow(/in \[0, 1\]/);
  });
});
