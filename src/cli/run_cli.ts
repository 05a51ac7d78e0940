import { ThreadFailure } from '../data/thread_pool.js';
import { KernelError } from '../kernels/runtime/pool.js';
import { UserError } from '../util/user_error.js';
import { palette, wantsColour } from './colour.js';

/**
 * Runs a command's main function and turns the errors a user can act on into one line on stderr and a
 * non-zero exit code, without a stack trace; anything else is a bug and keeps its stack.
 */
export async function runCli(main: (argv: string[]) => Promise<void>): Promise<void> {
  try {
    await main(process.argv.slice(2));
  } catch (error) {
    // The flags may be what failed to parse, so `--no-color` is looked for as plain text.
    const paint = palette(wantsColour(process.stderr, process.env, process.argv.includes('--no-color')));
    if (error instanceof UserError) {
      process.stderr.write(`${paint.error('error:')} ${error.message}\n`);
      process.exitCode = error.exitCode;
    } else if (error instanceof ThreadFailure || error instanceof KernelError) {
      // A failed worker thread is a fault, not a bug in the caller: its one line says which thread and why.
      process.stderr.write(`${paint.error('error:')} ${error.message}\n`);
      process.exitCode = 1;
    } else {
      process.stderr.write(`${paint.error('internal error:')} ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    }
  }
}
