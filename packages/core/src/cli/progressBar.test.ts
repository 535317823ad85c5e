import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { barWithMessages, formatDuration, progressBar } from './progressBar.ts';

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

describe('barWithMessages', () => {
  it('prints a message on its own line and goes on from the count it had, not from 0', async () => {
    let out = '';
    const stream = new Writable({
      write(chunk, _, done) {
        out += chunk;
        done();
      },
    });
    // Not a terminal: cli-progress prints the bar as lines (every logEveryMs and on stop), as in a log file.
    const progress = barWithMessages(
      progressBar('{value}/{total} pairs', { logEveryMs: 5, stream }),
      (line) => {
        out += `${line}\n`;
      },
    );
    progress.update(10, 760);
    await new Promise((r) => setTimeout(r, 20));
    progress.message('gen-scenes: warning: room 3 has no floor');
    progress.update(11, 760);
    await new Promise((r) => setTimeout(r, 20));
    progress.stop();
    const lines = out.split('\n').filter(Boolean);
    const warning = lines.indexOf('gen-scenes: warning: room 3 has no floor');
    expect(warning).toBeGreaterThan(0);
    expect(lines.slice(0, warning).every((l) => l === '10/760 pairs')).toBe(true);
    const after = lines.slice(warning + 1);
    // cli-progress's start() at 0 printed "0/760 pairs" here.
    expect(after).not.toContain('0/760 pairs');
    expect(after.length).toBeGreaterThan(0);
    expect(after.every((l) => l === '11/760 pairs')).toBe(true);
  });
});
