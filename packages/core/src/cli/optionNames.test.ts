import { describe, expect, it } from 'vitest';
import { optionName, withFlags } from './optionNames.ts';

describe('option names and flags', () => {
  it('names an option in backticks, the way a library message shows it', () => {
    expect(`${optionName('cropShift')} must be >= 0`).toBe('`cropShift` must be >= 0');
  });

  it('shows each named option as its flag on a command line', () => {
    const message = `${optionName('cropShift')} and ${optionName('lr')} and ${optionName('sampling.crop')}`;
    expect(withFlags(message)).toBe('--crop-shift and --lr and --crop');
    expect(withFlags(`${optionName('fovY')} must be in (1, 170)`, { fovY: '--fov' })).toBe(
      '--fov must be in (1, 170)',
    );
  });

  it('leaves text without named options as it is', () => {
    const text = 'shard-000001.tar (truncated: 20000 of 55808 bytes); rerun with --force';
    expect(withFlags(text)).toBe(text);
  });
});
