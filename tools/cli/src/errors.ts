/**
 * Errors of the `wakit` command line. Only one kind is expected: the user typed something the
 * command does not accept. Anything else is a bug or a failure of the server and is reported as
 * such, with its stack.
 */

/** The command line was malformed: unknown command or option, a bad value, a missing argument. */
export class UsageError extends Error {
  /** Stable machine-readable code, matching the `ERR_*` codes of the wakit packages. */
  readonly code = 'ERR_CLI_USAGE';

  /**
   * @param message what was wrong, as one sentence for the terminal
   * @param command the subcommand whose `--help` to point at, if any
   */
  constructor(
    message: string,
    readonly command?: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

/** True for a {@link UsageError}, also one thrown by a second copy of this module. */
export function isUsageError(e: unknown): e is UsageError {
  return e instanceof Error && (e as { code?: unknown }).code === 'ERR_CLI_USAGE';
}
