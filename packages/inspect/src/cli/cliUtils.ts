import { type Command, CommanderError, InvalidArgumentError } from 'commander';
import { OxelsError } from '@oxels/core';
import { InspectError } from '../errors.ts';

/** Where a command writes: the process's streams in bin/, buffers in tests. */
export interface CliIO {
  out: (text: string) => void;
  err: (text: string) => void;
}

/** Exit codes: 0 done, 1 failed (data or I/O), 2 bad command line. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** A commander argument parser for integers in [min, max]. */
export function intArg(flag: string, min: number, max = Number.MAX_SAFE_INTEGER) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(
        `${flag} must be an integer in ${min}..${max === Number.MAX_SAFE_INTEGER ? 'inf' : max} (got "${value}")`,
      );
    }
    return n;
  };
}

/**
 * Makes `program` report to `io` and throw instead of exiting, so that a command can be run
 * in-process (tests) and still print commander's own messages (unknown option, missing argument).
 */
export function captureCommander(program: Command, io: CliIO): Command {
  return program
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .showHelpAfterError('(run with --help for usage)')
    .allowExcessArguments(false);
}

/**
 * Runs a command body with the usual error mapping: commander's usage errors -> 2 (already printed),
 * oxels errors -> their message and 1; anything else is a bug and propagates.
 */
export async function runCli(io: CliIO, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (err instanceof OxelsError) {
      io.err(`error: ${err.message}\n`);
      return err instanceof InspectError && err.code === 'BAD_ARGUMENT' ? EXIT.usage : EXIT.failed;
    }
    throw err;
  }
}
