/** Exit codes of a process stopped by a signal, as shells report them: 128 + the signal's number. */
const EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;
type StopSignal = keyof typeof EXIT_CODES;

/**
 * Test hook, not a user setting: `ALNUM_INTERRUPT_AFTER_BATCHES=N` makes the process send itself SIGINT
 * after N training batches, so tests can interrupt a run at a known point through the real signal path.
 */
export const INTERRUPT_AFTER_BATCHES_ENV = 'ALNUM_INTERRUPT_AFTER_BATCHES';

/**
 * SIGINT and SIGTERM as a request to stop at the next safe point rather than at once: the first one aborts
 * `signal`, which a run checks between batches; a second one exits at once (the checkpoint is replaced
 * atomically, so the previous one survives).
 */
export class Interruption {
  /** The first stop signal received, if any. */
  received: StopSignal | undefined;
  private readonly controller = new AbortController();
  private batches = 0;
  private readonly interruptAfter: number | undefined;
  private readonly handler = (signal: StopSignal): void => {
    if (this.received !== undefined) {
      process.stderr.write(`\n${signal} again: exiting now; the last complete checkpoint stays as it was\n`);
      process.exit(EXIT_CODES[signal]);
    }
    this.received = signal;
    this.controller.abort();
  };

  constructor() {
    const after = process.env[INTERRUPT_AFTER_BATCHES_ENV];
    this.interruptAfter = after === undefined || after === '' ? undefined : Number(after);
    process.on('SIGINT', this.handler);
    process.on('SIGTERM', this.handler);
  }

  /** Aborted at the first stop signal. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** The exit code the process should end with: 130 after SIGINT, 143 after SIGTERM. */
  get exitCode(): number {
    return this.received === undefined ? 0 : EXIT_CODES[this.received];
  }

  /** Counts a training batch, for the test hook. */
  batchDone(): void {
    this.batches += 1;
    if (this.batches === this.interruptAfter) process.kill(process.pid, 'SIGINT');
  }

  /** Gives the signals back their default meaning. */
  close(): void {
    process.off('SIGINT', this.handler);
    process.off('SIGTERM', this.handler);
  }
}
