import { UserError } from '../util/user_error.js';

/** A command line the program cannot act on: a `UserError` with exit code 2, its message saying which flag and why. */
export function usageError(message: string): UserError {
  return new UserError(message, { exitCode: 2 });
}
