/** Exit codes of a process stopped by a signal, as shells report them: 128 + the signal's number. */
const EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;
type StopSignal = keyof typeof EXIT_CODES;

/**
 * Test hook, not a user setting: `ALNUM_INTERRUPT_AFTER_BATCHES=N` makes the process send itself SIGINT
 * after N training batches, so tests can interrupt a run at a known point through the real signal path.
 */
export const INTERRUPT_AFTER_BATCHES_ENV = 'ALNUM_INTERRUPT_AFTER_BATCHES';

/** Thrown out of setup work (data loading, preprocessing) when a signal arrives before training starts. */
export class Interrupted extends Error {
  override name = 'Interrupted';
}

/**
 * SIGINT and SIGTERM as a request to stop at the next safe point rather than at once: the first one is
 * remembered for the training loop to see between batches; a second one exits at once (the checkpoint is
 * replaced atomically, so the previous one survives).
 */
export class Interruption {
  /** The first stop signal received, if any. */
  signal: StopSignal | undefined;
  /** Rejects with `Interrupted` at the first signal, for racing setup work against. */
  private readonly signalled: Promise<never>;
  private reject: (error: Interrupted) => void = () => {};
  private batches = 0;
  private readonly interruptAfter: number | undefined;
  private readonly handler = (signal: StopSignal): void => {
    if (this.signal !== undefined) {
      process.stderr.write(`\n${signal} again: exiting now; the last complete checkpoint stays as it was\n`);
      process.exit(EXIT_CODES[signal]);
    }
    this.signal = signal;
    this.reject(new Interrupted(`interrupted by ${signal}`));
  };

  constructor() {
    this.signalled = new Promise<never>((_, reject) => (this.reject = reject));
    // Nobody may be racing it when the signal comes; that is not an unhandled rejection.
    this.signalled.catch(() => {});
    const after = process.env[INTERRUPT_AFTER_BATCHES_ENV];
    this.interruptAfter = after === undefined || after === '' ? undefined : Number(after);
    process.on('SIGINT', this.handler);
    process.on('SIGTERM', this.handler);
  }

  /** Whether a stop signal has arrived. */
  get requested(): boolean {
    return this.signal !== undefined;
  }

  /** The exit code the process should end with: 130 after SIGINT, 143 after SIGTERM. */
  get exitCode(): number {
    return this.signal === undefined ? 0 : EXIT_CODES[this.signal];
  }

  /** Waits for `work`, or throws `Interrupted` as soon as a stop signal arrives. */
  async race<T>(work: Promise<T>): Promise<T> {
    return Promise.race([work, this.signalled]);
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
