import { Piscina } from 'piscina';

// piscina settles a task whose thread exits or throws, but not a task still queued when threads fail
// while starting: it stops starting new ones and emits 'error' on the pool, which (with no listener)
// kills the process with the raw error, and otherwise leaves the queued tasks waiting forever. This
// wrapper turns every thread failure into one clear error for all tasks and always ends the threads.

/** A worker thread died or threw; the message is one line saying which pool and why. */
export class ThreadFailure extends Error {
  override name = 'ThreadFailure';
}

/** Where a pool's worker entry is and how to start it, as `workerEntry()` gives it. */
export interface WorkerFile {
  filename: string;
  execArgv: string[];
}

/** How to start a pool: which entry, how many threads, and a name for messages (`preprocessing`). */
export interface ThreadPoolOptions {
  worker: WorkerFile;
  threads: number;
  what: string;
  /** piscina's `atomics` option; `disabled` keeps each thread's event loop turning between tasks. */
  atomics?: 'sync' | 'disabled';
}

/** Runs tasks on the pool's threads; each rejects with a ThreadFailure if any thread fails. */
export type RunTask<Task, Result> = (task: Task, options?: Parameters<Piscina<Task, Result>['run']>[1]) => Promise<Result>;

/** Starts a pool, hands `use` a way to run tasks on it, and destroys it afterwards, whatever happened. */
export async function withThreadPool<Task, Result, T>(options: ThreadPoolOptions, use: (run: RunTask<Task, Result>) => Promise<T>): Promise<T> {
  const { worker, threads, what } = options;
  const pool = new Piscina<Task, Result>({
    filename: worker.filename,
    execArgv: worker.execArgv,
    minThreads: threads,
    maxThreads: threads,
    ...(options.atomics === undefined ? {} : { atomics: options.atomics }),
  });
  const failure = (cause: unknown): ThreadFailure => {
    if (cause instanceof ThreadFailure) return cause;
    const text = cause instanceof Error ? cause.message : String(cause);
    return new ThreadFailure(`a ${what} thread failed: ${text.split('\n')[0]}`, { cause });
  };
  let failAll: (error: ThreadFailure) => void = () => {};
  const failed = new Promise<never>((_, reject) => {
    failAll = reject;
  });
  // Marked as handled: the pool may fail after `use` has stopped running tasks.
  failed.catch(() => {});
  pool.on('error', (error: unknown) => failAll(failure(error)));
  const run: RunTask<Task, Result> = (task, runOptions) =>
    Promise.race([
      pool.run(task, runOptions).catch((error: unknown) => {
        throw failure(error);
      }),
      failed,
    ]);
  try {
    return await use(run);
  } finally {
    await pool.destroy();
  }
}
