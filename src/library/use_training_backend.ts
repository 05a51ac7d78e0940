import { startAlnumWasm } from '../backends/alnum_wasm.js';
import { platform } from '../platform/index.js';

/** How to start the training backend. */
export interface TrainingBackendOptions {
  /** Threads the kernels run on, the calling thread included; default: every core. */
  threads?: number;
  /** Forces a build of the kernels: `simd` (multiply then add) instead of `relaxed` (fused multiply-add). */
  kernels?: 'relaxed' | 'simd';
}

/** The training backend, registered in tfjs and selected as its current backend. */
export interface TrainingBackend {
  /** The name tfjs knows it by, as `tf.getBackend()` returns it. */
  readonly name: string;
  /** Threads its kernels run on. */
  readonly threads: number;
  /** The kernel build that runs: `relaxed` (fused multiply-add) where the engine has relaxed SIMD, else `simd`. */
  readonly kernels: 'relaxed' | 'simd';
  /** One phrase on what runs: instruction set and threads. */
  readonly detail: string;
  /** Stops the kernel threads and frees their scratch memory, so the process can exit; the backend cannot train after it. */
  close(): Promise<void>;
}

/**
 * Registers this project's WebAssembly training backend in the tfjs engine the program imports and makes it
 * the current backend, with its kernel threads started: any tfjs-layers model then trains through plain
 * `model.fit`. Call `close()` when done, or the threads keep the process alive.
 */
export async function useTrainingBackend(options: TrainingBackendOptions = {}): Promise<TrainingBackend> {
  const threads = options.threads ?? platform.defaultThreads();
  if (!Number.isSafeInteger(threads) || threads < 1) throw new RangeError(`threads must be a whole number of at least 1, not ${threads}`);
  if (options.kernels !== undefined && options.kernels !== 'relaxed' && options.kernels !== 'simd') {
    throw new RangeError(`kernels must be 'relaxed' or 'simd', not ${String(options.kernels)}`);
  }
  const started = await startAlnumWasm({ threads, kernelIsa: options.kernels });
  const simd = started.isa === 'relaxed' ? 'relaxed-SIMD FMA' : 'SIMD';
  return {
    name: started.tfjsName,
    threads: started.threads,
    kernels: started.isa,
    detail: `WASM ${simd} with this project's training kernels, ${started.threads} thread${started.threads === 1 ? '' : 's'}`,
    close: () => started.close(),
  };
}
