import { type CliIO, runCli as runCoreCli } from '@oxels/core';
import { InvalidArgumentError } from 'commander';
import { InspectError } from '../errors.ts';

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
 * Runs the body of command `name` (inspect, view) with @oxels/core's error mapping (`runCli`):
 * commander's usage errors and InspectError BAD_ARGUMENT -> 2, other oxels errors -> one line
 * `NAME: error: ...` and 1, as train and gen-scenes print them; anything else propagates.
 */
export function runCli(name: string, io: CliIO, body: () => Promise<number>): Promise<number> {
  return runCoreCli(io, body, {
    name,
    isUsageError: (err) => err instanceof InspectError && err.code === 'BAD_ARGUMENT',
  });
}
