import { describe, expect, it } from 'vitest';
import { decayStartStep, oneCycleRate } from './oneCycleRate.ts';

describe('oneCycleRate', () => {
  const o = { peakRate: 1e-3, warmupFraction: 0.05, initialFraction: 0.04, finalFraction: 0 };

  it('warms up linearly over the first 5% of steps, then anneals by a cosine to the final rate', () => {
    // 200 steps: warm-up 10 steps, then 189 steps of cosine from step 10 to step 199.
    expect(oneCycleRate(0, 200, o)).toBeCloseTo(4e-5, 12);
    expect(oneCycleRate(5, 200, o)).toBeCloseTo(4e-5 + 0.5 * (1e-3 - 4e-5), 12);
    expect(oneCycleRate(10, 200, o)).toBeCloseTo(1e-3, 12);
    expect(oneCycleRate(10 + 189 / 2, 200, o)).toBeCloseTo(5e-4, 12);
    expect(oneCycleRate(199, 200, o)).toBeCloseTo(0, 12);
    expect(oneCycleRate(500, 200, o)).toBeCloseTo(0, 12);
  });

  it('is monotone: up during warm-up, down afterwards', () => {
    const rates = Array.from({ length: 100 }, (_, t) => oneCycleRate(t, 100, o));
    for (let t = 1; t <= 5; t++) expect(rates[t]).toBeGreaterThan(rates[t - 1]);
    for (let t = 6; t < 100; t++) expect(rates[t]).toBeLessThan(rates[t - 1]);
  });

  it('with decayFraction < 1, holds the peak after the warm-up and anneals over the last steps only', () => {
    const wsd = { ...o, decayFraction: 0.2 };
    // 200 steps: warm-up 10 steps (as above), the peak from step 10 to 160, then 39 steps of cosine to step 199.
    expect(oneCycleRate(5, 200, wsd)).toBeCloseTo(oneCycleRate(5, 200, o), 12);
    for (const t of [10, 100, 160]) expect(oneCycleRate(t, 200, wsd)).toBeCloseTo(1e-3, 12);
    expect(oneCycleRate(160 + 39 / 2, 200, wsd)).toBeCloseTo(5e-4, 12);
    expect(oneCycleRate(199, 200, wsd)).toBeCloseTo(0, 12);
    // A decay longer than what the warm-up leaves is the one-cycle schedule.
    expect(oneCycleRate(50, 200, { ...o, decayFraction: 0.99 })).toBeCloseTo(oneCycleRate(50, 200, o), 12);
  });

  it('says where the decay starts: the last step at the peak', () => {
    const wsd = { ...o, decayFraction: 0.2 };
    expect(decayStartStep(200, wsd)).toBe(160);
    expect(oneCycleRate(160, 200, wsd)).toBe(1e-3);
    expect(oneCycleRate(161, 200, wsd)).toBeLessThan(1e-3);
    // The one-cycle leaves the peak right after its warm-up.
    expect(decayStartStep(200, o)).toBe(10);
    expect(decayStartStep(2000, { decayFraction: 0.2 })).toBe(1600);
  });

  it('handles a one-step run and rejects bad arguments', () => {
    expect(oneCycleRate(0, 1, o)).toBeCloseTo(1e-3, 12);
    expect(() => oneCycleRate(0, 0, o)).toThrow(/totalSteps >= 1/);
    expect(() => oneCycleRate(0, 10, { warmupFraction: 1 })).toThrow(/warmupFraction/);
    expect(() => oneCycleRate(0, 10, { decayFraction: 0 })).toThrow(/decayFraction/);
    expect(() => oneCycleRate(0, 10, { decayFraction: 1.5 })).toThrow(/decayFraction/);
  });
});
