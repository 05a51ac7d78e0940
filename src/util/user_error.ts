/**
 * A problem the user can fix, such as bad data, a checkpoint that cannot be resumed, a diverging run, a
 * backend that cannot start or a bad flag: its message is one sentence saying what and where, and a command
 * prints only that and exits with `exitCode`, where any other error is a bug and keeps its stack.
 */
export class UserError extends Error {
  override name = 'UserError';
  /** The exit code a command ends with: 1, or 2 for a command line it cannot act on. */
  readonly exitCode: 1 | 2;

  constructor(message: string, options: ErrorOptions & { exitCode?: 1 | 2 } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.exitCode = options.exitCode ?? 1;
  }
}
