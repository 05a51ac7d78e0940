import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { attachKernelContext, heapScratch } from '../kernels/call/context.js';
import { compileKernels } from '../kernels/gemm/loader.js';
import { ownKernelNames, registerOwnKernels } from '../kernels/ops/register_all.js';
import { KernelPool } from '../kernels/runtime/pool.js';
import { type SharedHeapBackend, sharedHeapBackendFactory, sharedMemoryOf } from '../kernels/runtime/tfjs_shared_heap.js';
import { UserError } from '../util/user_error.js';
import { type ActiveBackend, type BackendOptions, OWN_WASM } from './types.js';

export { OWN_WASM };

let running: { pool: KernelPool; free(): void } | undefined;

/**
 * Starts tfjs's WASM SIMD backend on a shared heap with this project's training kernels and their threads.
 * It is registered under its own name so the stock `wasm` backend stays unmodified beside it.
 */
export async function openWasm(options: BackendOptions): Promise<ActiveBackend> {
  register();
  if (!(await tf.setBackend(OWN_WASM))) throw new UserError('the WebAssembly module failed to start');
  const backend = tf.backend() as SharedHeapBackend;
  await stopThreads();
  const { isa, module } = compileKernels(options.kernelIsa);
  const pool = await KernelPool.create(module, sharedMemoryOf(backend), { threads: options.threads });
  const scratch = heapScratch(backend);
  const memory = sharedMemoryOf(backend);
  const exports = new WebAssembly.Instance(module, { env: { memory } }).exports;
  attachKernelContext({ backend, pool, isa, threads: pool.threads, exports, scratch: scratch.scratch });
  running = { pool, free: scratch.free };
  const simd = isa === 'relaxed' ? 'relaxed-SIMD FMA' : 'SIMD';
  return {
    name: 'wasm',
    tfjsName: OWN_WASM,
    detail: `WASM ${simd} with this project's training kernels, ${pool.threads} thread${pool.threads === 1 ? '' : 's'}`,
    threads: pool.threads,
    close: stopThreads,
  };
}

async function stopThreads(): Promise<void> {
  const current = running;
  running = undefined;
  if (current === undefined) return;
  current.free();
  await current.pool.close();
}

function register(): void {
  if (tf.findBackendFactory(OWN_WASM) !== null) return;
  // Priority 0: never chosen by tfjs on its own, only when the harness asks for it.
  tf.registerBackend(OWN_WASM, sharedHeapBackendFactory({ initialBytes: 256 << 20 }), 0);
  const own = ownKernelNames();
  for (const kernel of tf.getKernelsForBackend('wasm')) {
    if (!own.has(kernel.kernelName)) tf.registerKernel({ ...kernel, backendName: OWN_WASM });
  }
  registerOwnKernels(OWN_WASM);
}
