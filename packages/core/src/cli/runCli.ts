import { type Command, CommanderError } from 'commander';
import { OxelsError } from '../errors.ts';
import { withFlags } from './optionNames.ts';

/** Where a command writes: the process's streams in bin/, buffers in tests. */
export interface CliIO {
  out: (text: string) => void;
  err: (text: string) => void;
}

/** Exit codes: 0 done, 1 failed (data or I/O), 2 bad command line. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

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

/** Options of `runCli`. */
export interface RunCliOptions {
  /**
   * The command's name: its error lines read `NAME: error: MESSAGE` (a message that already starts
   * with `NAME: ` does not get it twice). Default: none, `error: MESSAGE`.
   */
  name?: string;
  /** Oxels errors that are the command line's fault (exit 2 instead of 1). Default: none. */
  isUsageError?: (err: OxelsError) => boolean;
  /** The command's flags for options spelt otherwise than `--` + kebab case (`withFlags`). */
  flags?: Readonly<Record<string, string>>;
}

/**
 * Runs a command body with the usual error mapping: commander's usage errors -> 2 (already printed),
 * oxels errors -> their message on one line and 1 (2 where `isUsageError` says so); anything else is
 * a bug and propagates.
 */
export async function runCli(
  io: CliIO,
  body: () => Promise<number>,
  options: RunCliOptions = {},
): Promise<number> {
  try {
    return await body();
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (err instanceof OxelsError) {
      io.err(`${errorLine(err, options.name, options.flags)}\n`);
      return options.isUsageError?.(err) ? EXIT.usage : EXIT.failed;
    }
    throw err;
  }
}

/**
 * `NAME: error: MESSAGE`, or `error: MESSAGE` without a name (see `RunCliOptions.name`); the options
 * the message names are shown as the command's flags (`withFlags` with `flags`).
 */
export function errorLine(err: Error, name?: string, flags?: Readonly<Record<string, string>>): string {
  const message = withFlags(err.message, flags);
  if (!name) return `error: ${message}`;
  const prefix = `${name}: `;
  return `${prefix}error: ${message.startsWith(prefix) ? message.slice(prefix.length) : message}`;
}
