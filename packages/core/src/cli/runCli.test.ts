import { Command, CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { OxelsError } from '../errors.ts';
import { type CliIO, captureCommander, errorLine, runCli } from './runCli.ts';

function capture(): { io: CliIO; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (t) => out.push(t), err: (t) => err.push(t) }, out, err };
}

describe('runCli', () => {
  it('maps commander usage errors to 2 and --help to 0, printing nothing more', async () => {
    const c = capture();
    expect(
      await runCli(c.io, () => Promise.reject(new CommanderError(1, 'commander.unknownOption', 'x'))),
    ).toBe(2);
    expect(
      await runCli(c.io, () => Promise.reject(new CommanderError(0, 'commander.helpDisplayed', ''))),
    ).toBe(0);
    expect(c.err).toEqual([]);
  });

  it('prints an oxels error as one line and exits 1, or 2 where the command calls it a usage error', async () => {
    const c = capture();
    const bad = new OxelsError('BAD_ARGUMENT', 'train: --lr must be > 0 (got 0)');
    expect(await runCli(c.io, () => Promise.reject(bad), { name: 'train' })).toBe(1);
    expect(
      await runCli(c.io, () => Promise.reject(bad), { isUsageError: (e) => e.code === 'BAD_ARGUMENT' }),
    ).toBe(2);
    expect(c.err).toEqual([
      'train: error: --lr must be > 0 (got 0)\n',
      'error: train: --lr must be > 0 (got 0)\n',
    ]);
  });

  it('lets anything else through: a bug keeps its stack', async () => {
    await expect(runCli(capture().io, () => Promise.reject(new TypeError('boom')))).rejects.toThrow(
      TypeError,
    );
  });

  it('runs a real commander program in-process: unknown option -> its message to io.err and 2', async () => {
    const c = capture();
    const program = captureCommander(new Command('demo').option('--steps <n>'), c.io);
    const code = await runCli(c.io, async () => {
      program.parse(['--stepz', '3'], { from: 'user' });
      return 0;
    });
    expect(code).toBe(2);
    expect(c.err.join('')).toMatch(/^error: unknown option '--stepz'\n\(Did you mean --steps\?\)\n/);
  });
});

describe('errorLine', () => {
  it('names the command once', () => {
    expect(errorLine(new Error('train: no data'), 'train')).toBe('train: error: no data');
    expect(errorLine(new Error('no data'), 'train')).toBe('train: error: no data');
    expect(errorLine(new Error('no data'))).toBe('error: no data');
    const named = new Error('`outChannels` must be >= 1 and `cropShift` >= 0');
    expect(errorLine(named, 'train', { outChannels: '--channels' })).toBe(
      'train: error: --channels must be >= 1 and --crop-shift >= 0',
    );
  });
});
