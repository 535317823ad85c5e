import { type CliIO, runCli as runCoreCli } from '@oxels/core';
import { InvalidArgumentError } from 'commander';
import { InspectError } from '../errors.ts';

// The shared pieces of every oxels command, from @oxels/core.
export { type CliIO, captureCommander, EXIT } from '@oxels/core';

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
 * Runs an inspect command body with @oxels/core's error mapping (`runCli`): commander's usage errors and
 * InspectError BAD_ARGUMENT -> 2, other oxels errors -> their message and 1; anything else propagates.
 */
export function runCli(io: CliIO, body: () => Promise<number>): Promise<number> {
  return runCoreCli(io, body, {
    isUsageError: (err) => err instanceof InspectError && err.code === 'BAD_ARGUMENT',
  });
}
