// Tick values and labels of chart axes: "nice" steps of 1, 2 or 5 times a power of ten (Heckbert,
// "Nice numbers for graph labels", Graphics Gems 1990), decades on log axes.

/** Ticks of one axis: values in data units, ascending, with their labels. */
export interface AxisTicks {
  /** Labelled tick values. */
  major: number[];
  /** Unlabelled values for faint grid lines (2..9 x 10^k between decades on a log axis), else empty. */
  minor: number[];
  /** One label per major tick. */
  labels: string[];
}

/** floor(log10(x)) robust to 0.001 being stored as 0.00099999... */
function decade(x: number): number {
  return Math.floor(Math.log10(x) + 1e-9);
}

/** The smallest step of 1, 2 or 5 x 10^k that is at least `rough`. */
function niceStep(rough: number): number {
  const mag = 10 ** decade(rough);
  const f = rough / mag;
  // The tolerance keeps 1e-4 / 1e-4 = 1.0000000000000002 a step of 1, not 2.
  const t = 1 + 1e-9;
  return (f <= t ? 1 : f <= 2 * t ? 2 : f <= 5 * t ? 5 : 10) * mag;
}

/** `x` rounded to 12 significant digits, so that k * 0.1 prints as 0.3 and not 0.30000000000000004. */
function tidy(x: number): number {
  return Number(x.toPrecision(12));
}

/** Evenly spaced ticks inside [lo, hi], at most about `count` intervals across it. */
function linearTicks(lo: number, hi: number, count: number): AxisTicks {
  const step = niceStep((hi - lo) / Math.max(1, count));
  const major: number[] = [];
  const eps = step * 1e-9;
  for (let k = Math.ceil((lo - eps) / step); k * step <= hi + eps; k++) major.push(tidy(k * step));
  const magnitude = Math.max(...major.map(Math.abs), 0);
  return { major, minor: [], labels: major.map((t) => formatTick(t, step, magnitude)) };
}

/** A log axis' ticks, each labelled to its own decade (0.01, 0.1, 1, 10, 100k, 1e6, 2e-5). */
function ownDecadeLabels(major: number[], minor: number[]): AxisTicks {
  return { major, minor, labels: major.map((t) => formatTick(t, 10 ** decade(t), t)) };
}

/** m x 10^k inside [lo, hi] for every decade k and every m in `mantissas`, ascending. */
function decadeMultiples(lo: number, hi: number, mantissas: readonly number[]): number[] {
  const values: number[] = [];
  for (let k = decade(lo); k <= decade(hi); k++) {
    for (const m of mantissas) {
      const v = tidy(m * 10 ** k);
      if (v >= lo && v <= hi) values.push(v);
    }
  }
  return values;
}

/** Log ticks: decades, else 1-2-5 multiples, else linear ticks (see axisTicks). */
function logTicks(lo: number, hi: number, count: number): AxisTicks {
  const k0 = decade(lo) + (10 ** decade(lo) < lo * (1 - 1e-9) ? 1 : 0);
  const k1 = decade(hi);
  const stride = Math.max(1, Math.ceil((k1 - k0 + 1) / Math.max(1, count)));
  const decades: number[] = [];
  for (let k = k0; k <= k1; k++) if (k % stride === 0) decades.push(tidy(10 ** k));
  const minorOf = (mantissas: number[]) => (stride === 1 ? decadeMultiples(lo, hi, mantissas) : []);
  if (decades.length >= 3) return ownDecadeLabels(decades, minorOf([2, 3, 4, 5, 6, 7, 8, 9]));
  // Two decades or fewer inside: 1-2-5 multiples label the axis more usefully when they fit.
  const oneTwoFive = decadeMultiples(lo, hi, [1, 2, 5]);
  if (oneTwoFive.length >= 2 && oneTwoFive.length <= Math.max(2, count) + 1) {
    return ownDecadeLabels(oneTwoFive, minorOf([3, 4, 6, 7, 8, 9]));
  }
  if (decades.length === 2) return ownDecadeLabels(decades, minorOf([2, 3, 4, 5, 6, 7, 8, 9]));
  return linearTicks(lo, hi, count);
}

/**
 * Ticks of an axis over [lo, hi] (finite, lo < hi; lo > 0 when `log`) with at most about `count`
 * intervals. Linear: a nice step of 1, 2 or 5 x 10^k. Log: whole decades when three or more fall
 * inside (every 2nd, 3rd, ... when there are more than `count`; 2..9 x 10^k as minor ticks when every
 * decade is labelled); else 1-2-5 multiples when at least two fit within `count` + 1; else two
 * decades; else (a range narrower than 1-2-5 can label) linear ticks.
 */
export function axisTicks(lo: number, hi: number, count: number, log: boolean): AxisTicks {
  return log ? logTicks(lo, hi, count) : linearTicks(lo, hi, count);
}

/**
 * One tick label: `step` is the spacing the label must resolve and `magnitude` the largest |value| on
 * the axis, which picks the style: exponent form (`2.5e-4`, `1e6`) below 1e-3 and from 1e6, thousands
 * as `20k` from 1e4 when the step is whole thousands, else fixed decimals down to the step.
 */
export function formatTick(value: number, step: number, magnitude: number): string {
  if (value === 0) return '0';
  if (magnitude >= 1e6 || magnitude < 1e-3) {
    const digits = Math.max(0, decade(Math.abs(value)) - decade(step));
    const [mantissa, exponent] = value.toExponential(Math.min(digits, 6)).split('e');
    const m = mantissa.includes('.') ? mantissa.replace(/\.?0+$/, '') : mantissa;
    return `${m}e${exponent.replace('+', '')}`;
  }
  if (magnitude >= 1e4 && step >= 1000) {
    return `${(value / 1000).toFixed(Math.max(0, -decade(step / 1000)))}k`;
  }
  return value.toFixed(Math.max(0, Math.min(12, -decade(step))));
}
