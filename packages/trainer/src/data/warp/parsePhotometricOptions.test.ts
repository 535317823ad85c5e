import { describe, expect, it } from 'vitest';
import { parsePhotometricOptions, validatePhotometricOptions } from './parsePhotometricOptions.ts';
import { DEFAULT_PHOTOMETRIC_OPTIONS, NO_PHOTOMETRIC_JITTER } from './photometricJitter.ts';

const base = DEFAULT_PHOTOMETRIC_OPTIONS;

describe('parsePhotometricOptions', () => {
  it('overrides the named components and keeps the others', () => {
    const before = { ...base };
    const out = parsePhotometricOptions('hue=0.3, saturation=0,motionBlur=5', base, '--jitter');
    expect(out).toEqual({ ...base, hue: 0.3, saturation: 0, motionBlur: 5 });
    expect(base).toEqual(before);
  });

  it('reads none as every component off', () => {
    expect(parsePhotometricOptions('none', base, '--jitter')).toEqual(NO_PHOTOMETRIC_JITTER);
  });

  it('rejects unknown and repeated keys, malformed pairs and values out of range, naming the flag', () => {
    const bad = [
      ['blur=2', /--jitter: unknown key "blur" \(expected one of channelShuffle, brightness, .*motionBlur/],
      ['hue=0.1,hue=0.2', /--jitter: hue is given twice/],
      ['hue', /--jitter: expected key=value pairs/],
      ['hue=0.1,', /--jitter: expected key=value pairs/],
      ['noise=a', /--jitter: noise must be a number/],
      ['hue=0.6', /--jitter: hue must be a number in \[0, 0.5\] \(got 0.6\)/],
      ['channelShuffle=2', /--jitter: channelShuffle must be a number in \[0, 1\] \(got 2\)/],
      ['brightness=-1', /--jitter: brightness must be a number in \[0, inf\) \(got -1\)/],
    ] as const;
    for (const [text, message] of bad) {
      expect(() => parsePhotometricOptions(text, base, '--jitter'), text).toThrow(message);
    }
  });
});

describe('validatePhotometricOptions', () => {
  it('rejects a missing component (a hand-edited config)', () => {
    const { noise: _, ...partial } = base;
    expect(() => validatePhotometricOptions(partial as typeof base, 'train --jitter')).toThrow(
      /train --jitter: noise must be a number .*got undefined/,
    );
    expect(() => validatePhotometricOptions(base, 'train --jitter')).not.toThrow();
  });
});
