// A fork-join pool: N-1 worker threads plus the calling thread, each with its own instance of one
// compiled kernel module on one shared memory. A call publishes a job in the control block, works on it
// too, and blocks (spin, then Atomics.wait) until every task is done; no message passing per call.
import { platform } from '../../platform/index.js';
import type { KernelThreadHandle } from '../../platform/types.js';
import { type ControlBlock, claimWord, createControlBlock, MAX_ARGS, MAX_TASKS, MAX_THREADS, readError, Slot } from './control_block.js';
import { instantiateKernels, type KernelFunction, kernelFunctionNames } from './kernel_module.js';
import type { KernelThreadData } from './kernel_thread.js';
import { drainJob, type ThreadContext } from './task_runner.js';

/** How a pool is started. */
export interface KernelPoolOptions {
  /** Threads including the caller's (`--threads=N`); default all cores; 1 starts no workers at all. */
  threads?: number;
  /**
   * Iterations (about 7 ns each, measured) a thread polls before sleeping, on both sides of a call: short,
   * because a spinning caller can keep a just-woken worker off the CPU when the machine is busy.
   */
  spinIterations?: number;
  /** A call that makes no progress for this long fails instead of hanging (a thread died uncatchably). */
  stallTimeoutMs?: number;
}

/** A kernel call that failed in some thread: a wasm trap, an abort, or a JS exception. */
export class KernelError extends Error {
  override name = 'KernelError';
  constructor(
    readonly fnName: string,
    readonly thread: number,
    readonly task: number,
    detail: string,
  ) {
    super(`kernel ${fnName} failed in thread ${thread}${task >= 0 ? ` (task ${task})` : ''}: ${detail}`);
  }
}

const WAIT_SLICE_MS = 50;

/** A fork-join pool of kernel threads sharing one WebAssembly.Memory. */
export class KernelPool {
  private readonly fnIndex = new Map<string, number>();
  private readonly block: ControlBlock;
  private readonly self: ThreadContext;
  private broken: Error | undefined;
  private closing = false;
  private calls = 0;
  private splitCalls = 0;

  private constructor(
    /** Threads computing a call, the caller's included. */
    readonly threads: number,
    /** The memory every thread's kernels address. */
    readonly memory: WebAssembly.Memory,
    module: WebAssembly.Module,
    functions: KernelFunction[],
    private readonly workers: readonly KernelThreadHandle[],
    block: ControlBlock,
    private readonly spinIterations: number,
    private readonly stallTimeoutMs: number,
  ) {
    this.block = block;
    kernelFunctionNames(module).forEach((name, i) => {
      this.fnIndex.set(name, i);
    });
    this.self = { thread: 0, threads, functions, block };
    for (const worker of workers) {
      // Events arrive only while the caller is idle; a thread that dies mid-call is caught by the stall timeout.
      worker.watch(
        (message) => this.breakWith(new Error(`kernel thread crashed: ${message}`)),
        (code) => {
          if (!this.closing) this.breakWith(new Error(`kernel thread exited (code ${code})`));
        },
      );
    }
  }

  /** Starts the pool's threads on a compiled kernel module and shared memory, and waits until all are ready. */
  static async create(module: WebAssembly.Module, memory: WebAssembly.Memory, options: KernelPoolOptions = {}): Promise<KernelPool> {
    const threads = options.threads ?? platform.defaultThreads();
    if (!Number.isInteger(threads) || threads < 1 || threads > MAX_THREADS) {
      throw new RangeError(`threads must be an integer in [1, ${MAX_THREADS}], got ${threads}`);
    }
    const spinIterations = options.spinIterations ?? 5_000;
    // The caller's own instance first: a module that cannot link fails here, before any thread starts.
    const functions = instantiateKernels(module, memory);
    const block = createControlBlock();
    const workers: KernelThreadHandle[] = [];
    try {
      const ready: Promise<void>[] = [];
      for (let thread = 1; thread < threads; thread++) {
        const workerData: KernelThreadData = { module, memory, control: block.buffer, thread, threads, spinIterations };
        const worker = platform.startKernelThread(workerData);
        workers.push(worker);
        ready.push(worker.ready.catch((error: Error) => Promise.reject(new Error(`kernel thread ${thread} failed to start: ${error.message}`))));
      }
      await Promise.all(ready);
    } catch (error) {
      await Promise.all(workers.map((w) => w.terminate()));
      throw error;
    }
    // Only now: an unref'd worker would let the process exit while we were still awaiting it.
    for (const worker of workers) worker.unref();
    return new KernelPool(threads, memory, module, functions, workers, block, spinIterations, options.stallTimeoutMs ?? 60_000);
  }

  /**
   * Runs export `fnName` over [0, range) split into `tasks` contiguous chunks (default: one per thread),
   * each as `fn(...args, lo, hi, thread)`; returns when all are done and throws KernelError if any failed.
   */
  parallelFor(fnName: string, args: readonly number[], range: number, tasks = this.threads): void {
    if (!Number.isInteger(range) || range < 0 || range > 0x7fffffff) throw new RangeError(`bad range ${range}`);
    if (!(tasks >= 1)) throw new RangeError(`tasks must be at least 1, got ${tasks}`);
    const chunks = Math.min(Math.floor(tasks), MAX_TASKS, range);
    if (chunks === 0) return;
    // A single chunk runs on the caller alone: waking threads that find nothing to claim only costs.
    this.publish(fnName, args, range, chunks, chunks > 1, () => Atomics.store(this.block.ints, Slot.Claim, claimWord(chunks)));
  }

  /** Runs export `fnName` once on every thread as `fn(...args, thread, threads)`, e.g. per-thread setup. */
  broadcast(fnName: string, args: readonly number[]): void {
    this.publish(fnName, args, 0, this.threads, true, () => {
      Atomics.store(this.block.ints, Slot.Claim, claimWord(0));
      for (let t = 0; t < this.threads; t++) Atomics.store(this.block.ints, Slot.Broadcast + t, 1);
    });
  }

  /** Kernel calls made so far, and of them those handed to more than one thread: a page shows them as proof its threads ran. */
  get callCounts(): { calls: number; splitCalls: number } {
    return { calls: this.calls, splitCalls: this.splitCalls };
  }

  /** Stops every thread; the pool is unusable afterwards. Idempotent. */
  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    this.broken ??= new Error('kernel pool is closed: the backend was closed (useTrainingBackend() starts it again)');
    Atomics.store(this.block.ints, Slot.Shutdown, 1);
    Atomics.add(this.block.ints, Slot.Gen, 1);
    Atomics.notify(this.block.ints, Slot.Gen);
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private publish(fnName: string, args: readonly number[], range: number, expected: number, wake: boolean, arm: () => void): void {
    if (this.broken !== undefined) throw this.broken;
    const fn = this.fnIndex.get(fnName);
    if (fn === undefined) throw new Error(`kernel module has no function export ${fnName}`);
    if (args.length > MAX_ARGS) throw new RangeError(`at most ${MAX_ARGS} kernel arguments, got ${args.length}`);
    const { ints } = this.block;
    // Plain writes first; the atomic stores in arm() and on Gen publish them to any thread that claims.
    ints[Slot.Fn] = fn;
    ints[Slot.NArgs] = args.length;
    ints[Slot.Range] = range;
    for (let i = 0; i < args.length; i++) this.block.args[i] = args[i]!;
    ints[Slot.ErrThread] = 0;
    ints[Slot.Expected] = expected;
    Atomics.store(ints, Slot.Done, 0);
    arm();
    let wokeSleepers = false;
    this.calls++;
    if (wake && this.threads > 1) {
      this.splitCalls++;
      Atomics.add(ints, Slot.Gen, 1);
      wokeSleepers = Atomics.load(ints, Slot.Sleepers) > 0;
      if (wokeSleepers) Atomics.notify(ints, Slot.Gen);
    }
    drainJob(this.self);
    // Spinning only pays when the workers were awake. A worker just woken may be queued on this very
    // CPU (measured: on a busy 2-core machine it started only once the caller stopped spinning).
    this.awaitDone(expected, wokeSleepers ? 0 : this.spinIterations);
    if (Atomics.load(ints, Slot.ErrThread) !== 0) {
      const { thread, task, message } = readError(this.block);
      throw new KernelError(fnName, thread, task, message);
    }
  }

  private awaitDone(expected: number, spinIterations: number): void {
    const { ints } = this.block;
    for (let i = 0; i < spinIterations; i++) if (Atomics.load(ints, Slot.Done) >= expected) return;
    let done = Atomics.load(ints, Slot.Done);
    let lastProgress = performance.now();
    while (done < expected) {
      Atomics.wait(ints, Slot.Done, done, WAIT_SLICE_MS);
      const now = Atomics.load(ints, Slot.Done);
      if (now !== done) {
        done = now;
        lastProgress = performance.now();
      } else if (performance.now() - lastProgress > this.stallTimeoutMs) {
        const error = new Error(`kernel call made no progress for ${this.stallTimeoutMs} ms (${done}/${expected} done); a kernel thread died or hangs`);
        this.breakWith(error);
        void this.close();
        throw error;
      }
    }
  }

  private breakWith(error: Error): void {
    this.broken ??= error;
  }
}
