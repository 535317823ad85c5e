// Flag parsing for the repo's scripts: node's parseArgs, plus --help (prints the script's header
// comment, which is its usage) and a one-line error with that usage for a wrong flag or a stray
// argument, instead of parseArgs' stack trace.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { type ParseArgsConfig, parseArgs } from 'node:util';

/** The leading `//` comment block of a script, without the slashes. */
export function headerComment(scriptPath: string): string {
  const lines = readFileSync(scriptPath, 'utf8').split('\n');
  const header = lines.slice(
    0,
    lines.findIndex((line) => !line.startsWith('//')),
  );
  return header.map((line) => line.replace(/^\/\/ ?/, '')).join('\n');
}

/**
 * Parses process.argv for the script at `scriptPath` (pass import.meta.filename). Exits 0 after
 * printing the usage on --help / -h, and 2 with `NAME: what is wrong` and the usage on bad flags.
 */
export function scriptArgs<const O extends NonNullable<ParseArgsConfig['options']>>(
  scriptPath: string,
  options: O,
) {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    console.log(headerComment(scriptPath));
    process.exit(0);
  }
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    const name = basename(scriptPath).replace(/\.ts$/, '');
    console.error(`${name}: ${(error as Error).message}\n\n${headerComment(scriptPath)}`);
    process.exit(2);
  }
}
