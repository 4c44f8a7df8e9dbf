// The command line's errors and its one table of exit codes, by error kind (src/errors.ts).
import { BellwetherError, type ErrorCode, type ErrorKind } from '../errors.ts';

/**
 * What `bellwether` returns: 0 when the command did its work; otherwise by the error's kind.
 * Scripts can tell "fix your input" (2) from "it failed, look at the message" (1), "the stored state
 * refuses it" (3) and "busy, try again later" (75, sysexits' EX_TEMPFAIL).
 */
export const EXIT_CODES: Record<ErrorKind, number> = {
  failed: 1,
  invalid: 2,
  not_found: 2,
  conflict: 3,
  busy: 75,
};

/** An error raised by a command itself: a bad flag (code `usage`), or a stage's error with a CLI prefix. */
export class CliError extends BellwetherError {
  constructor(
    message: string,
    readonly code: ErrorCode = 'usage',
    options?: ErrorOptions,
  ) {
    super(message, options);
  }

  /** The same error, its message prefixed as the command prints it, its code (and exit code) kept. */
  static wrap(prefix: string, error: BellwetherError): CliError {
    return new CliError(`${prefix}${error.message}`, error.code, { cause: error });
  }
}

export function exitCodeOf(error: BellwetherError): number {
  return EXIT_CODES[error.kind];
}
