import { BackendUnavailable } from '../backends/types.js';
import { DataError } from '../data/dataset.js';
import { UsageError } from './usage_error.js';

/**
 * Runs a command's main function and turns the errors a user can act on into one line on stderr and a
 * non-zero exit code, without a stack trace; anything else is a bug and keeps its stack.
 */
export async function runCli(main: (argv: string[]) => Promise<void>): Promise<void> {
  try {
    await main(process.argv.slice(2));
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`error: ${error.message}\n`);
      process.exitCode = 2;
    } else if (error instanceof DataError || error instanceof BackendUnavailable) {
      process.stderr.write(`error: ${error.message}\n`);
      process.exitCode = 1;
    } else {
      process.stderr.write(`internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    }
  }
}
