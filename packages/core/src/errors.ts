import { getSystemErrorMap } from 'node:util';

/**
 * The base of every oxels error: a `code` a caller can switch on, a message naming the culprit, and
 * the file `path` when there is one. Each package subclasses it with its own codes; the command-line
 * tools print any OxelsError as one line, never a stack trace.
 */
export class OxelsError<Code extends string = string> extends Error {
  readonly code: Code;
  readonly path: string | undefined;
  constructor(code: Code, message: string, path?: string, cause?: unknown) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.path = path;
    if (cause !== undefined) this.cause = cause;
  }
}

/** Throws when `cond` is false; the message is built only then. */
export type Assert<Code extends string> = (
  cond: unknown,
  code: Code,
  message: () => string,
  path?: string,
) => asserts cond;

/** An `assert` that throws `ErrorClass` (a package's OxelsError subclass). */
export function assertFor<Code extends string>(
  ErrorClass: new (code: Code, message: string, path?: string) => OxelsError<Code>,
): Assert<Code> {
  return (cond, code, message, path) => {
    if (!cond) throw new ErrorClass(code, message(), path);
  };
}

/**
 * A file that cannot be written (disk full, no permission, an I/O error). `path` names the file and
 * `cause` is the system error; writers in oxels leave nothing incomplete under a final name.
 */
export class FileWriteError extends OxelsError<'FILE_WRITE'> {
  constructor(message: string, path: string, cause: unknown) {
    super('FILE_WRITE', message, path, cause);
  }
}

/**
 * A failed system call as a user reads it: `no space left on device (ENOSPC)`. Node's own message
 * (`ENOSPC: no space left on device, write`) leads with the code and ends with the syscall.
 */
export function systemErrorText(err: unknown): string {
  const { errno, code, message } = err as NodeJS.ErrnoException;
  const text = typeof errno === 'number' ? getSystemErrorMap().get(errno)?.[1] : undefined;
  return text && code ? `${text} (${code})` : String(message ?? err);
}
