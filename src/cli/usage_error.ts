/** A command line the program cannot act on; its message says which flag and why. */
export class UsageError extends Error {
  override name = 'UsageError';
}
