import { useTrainingBackend } from '../library/use_training_backend.js';
import type { ActiveBackend, BackendOptions } from './types.js';

/**
 * The trainer's `wasm` backend: the library's entry point, as any other tfjs program uses it, under the
 * name the command line gives it.
 */
export async function openWasm(options: BackendOptions): Promise<ActiveBackend> {
  const backend = await useTrainingBackend(
    options.kernelIsa === undefined ? { threads: options.threads } : { threads: options.threads, kernels: options.kernelIsa },
  );
  return { name: 'wasm', tfjsName: backend.name, detail: backend.detail, threads: backend.threads, close: () => backend.close() };
}
