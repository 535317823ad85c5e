import { describe, expect, it } from 'vitest';
import { formatDuration } from './progressBar.ts';

describe('formatDuration', () => {
  it('carries rounded minutes and seconds into the next unit', () => {
    expect(formatDuration(0)).toBe('0s');
    expect(formatDuration(59.4)).toBe('59s');
    expect(formatDuration(59.6)).toBe('1m00s');
    expect(formatDuration(725)).toBe('12m05s');
    expect(formatDuration(3599.6)).toBe('1h00m');
    // cli-progress's formatter prints these two as 1h60m and 10h60m.
    expect(formatDuration(7170)).toBe('2h00m');
    expect(formatDuration(39_550)).toBe('10h59m');
    expect(formatDuration(39_580)).toBe('11h00m');
  });

  it('shows a dash while there is no estimate', () => {
    expect(formatDuration('NULL')).toBe('-');
    expect(formatDuration('INF')).toBe('-');
    expect(formatDuration(Number.NaN)).toBe('-');
  });
});
