import { describe, expect, it } from 'vitest';
import { axisTicks, formatTick } from './axisTicks.ts';

describe('axisTicks', () => {
  it('picks 1-2-5 steps inside the range with labels that resolve the step', () => {
    expect(axisTicks(0, 1, 5, false)).toEqual({
      major: [0, 0.2, 0.4, 0.6, 0.8, 1],
      minor: [],
      labels: ['0', '0.2', '0.4', '0.6', '0.8', '1.0'],
    });
    expect(axisTicks(0, 2999, 6, false).major).toEqual([0, 500, 1000, 1500, 2000, 2500]);
    expect(axisTicks(-0.13, 0.27, 4, false).labels).toEqual(['-0.1', '0', '0.1', '0.2']);
    expect(axisTicks(0, 100000, 5, false).labels).toEqual(['0', '20k', '40k', '60k', '80k', '100k']);
    expect(axisTicks(0, 5e-4, 5, false).labels).toEqual(['0', '1e-4', '2e-4', '3e-4', '4e-4', '5e-4']);
    expect(axisTicks(0, 3e6, 3, false).labels).toEqual(['0', '1e6', '2e6', '3e6']);
    expect(axisTicks(1.3, 1.42, 3, false).labels).toEqual(['1.30', '1.35', '1.40']);
  });

  it('labels decades on log axes, thins them out, and falls back to 1-2-5 or linear ticks', () => {
    const wide = axisTicks(0.0005, 20, 6, true);
    expect(wide.major).toEqual([0.001, 0.01, 0.1, 1, 10]);
    expect(wide.labels).toEqual(['0.001', '0.01', '0.1', '1', '10']);
    expect(wide.minor).toContain(0.002);
    expect(wide.minor).toContain(20);
    expect(wide.minor).not.toContain(0.01);
    // Nine decades, at most about three intervals: every third decade, no minor lines.
    const thinned = axisTicks(1e-7, 50, 3, true);
    expect(thinned.major).toEqual([1e-6, 1e-3, 1]);
    expect(thinned.labels).toEqual(['1e-6', '0.001', '1']);
    expect(thinned.minor).toEqual([]);
    expect(axisTicks(0.07, 2.3, 6, true).labels).toEqual(['0.1', '0.2', '0.5', '1', '2']);
    expect(axisTicks(0.31, 0.35, 4, true).labels).toEqual(['0.31', '0.32', '0.33', '0.34', '0.35']);
  });

  it('formats ticks by magnitude', () => {
    expect(formatTick(0.30000000000000004, 0.1, 1)).toBe('0.3');
    expect(formatTick(2.5e-5, 5e-6, 1e-4)).toBe('2.5e-5');
    expect(formatTick(1e-4, 5e-6, 1e-4)).toBe('1e-4');
    expect(formatTick(12000, 1000, 20000)).toBe('12k');
    expect(formatTick(1500, 500, 3000)).toBe('1500');
  });
});
