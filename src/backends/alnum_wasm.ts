import * as tf from '@tensorflow/tfjs-core';
import { attachKernelContext, heapScratch } from '../kernels/call/context.js';
import { compileKernels, type KernelIsa } from '../kernels/gemm/loader.js';
import { ownKernelNames, registerOwnKernels } from '../kernels/ops/register_all.js';
import { KernelPool } from '../kernels/runtime/pool.js';
import { createSharedHeapBackend, type SharedHeapBackend, sharedMemoryOf } from '../kernels/runtime/tfjs_shared_heap.js';
import { platform } from '../platform/index.js';
import { UserError } from '../util/user_error.js';
import { OWN_WASM } from './types.js';

/** What each new backend instance starts its kernels with: the options of the last `startAlnumWasm`. */
interface KernelSetup {
  readonly threads: number;
  readonly isa: KernelIsa;
  readonly module: WebAssembly.Module;
}

/** The kernel threads and scratch one backend instance owns. */
interface InstanceKernels {
  readonly setup: KernelSetup;
  readonly threads: number;
  /** Whether `stop` has been called. */
  readonly stopped: boolean;
  /** Frees the scratch and stops the threads; idempotent. */
  stop(): Promise<void>;
}

let setup: KernelSetup | undefined;
const kernelsOf = new WeakMap<SharedHeapBackend, InstanceKernels>();

/** The backend as started: what runs, and how to stop its threads. */
export interface StartedAlnumWasm {
  /** The name tfjs knows it by. */
  readonly tfjsName: string;
  readonly threads: number;
  /** The kernel build that runs. */
  readonly isa: KernelIsa;
  close(): Promise<void>;
}

/**
 * Starts tfjs's WASM SIMD backend on a shared heap with this project's training kernels and their threads,
 * and makes it tfjs's current backend. It is registered under its own name so the stock `wasm` backend
 * stays unmodified beside it. Every backend instance tfjs makes of it (after `tf.engine().reset()` too)
 * gets its own threads with these options, and stops them when tfjs disposes it; `close()` stops them
 * earlier, so the process can exit. `useTrainingBackend` is its one caller.
 */
export async function startAlnumWasm(options: { threads: number; kernelIsa?: KernelIsa | undefined }): Promise<StartedAlnumWasm> {
  // Loaded on the first start rather than on import, so that importing the package registers nothing: the
  // stock kernels it registers under `wasm` are the ones ours are copied from.
  await import('@tensorflow/tfjs-backend-wasm');
  register();
  await platform.preloadKernels();
  const { isa, module } = compileKernels(options.kernelIsa);
  const wanted: KernelSetup = { threads: options.threads, isa, module };
  setup = wanted;
  if (!(await tf.setBackend(OWN_WASM))) throw new UserError('the WebAssembly module failed to start');
  const backend = tf.backend() as SharedHeapBackend;
  let kernels = kernelsOf.get(backend);
  // An instance started by an earlier open keeps its tensors and gets fresh threads with these options.
  if (kernels === undefined || kernels.setup !== wanted) {
    await kernels?.stop();
    kernels = await startKernels(backend, wanted);
  }
  return { tfjsName: OWN_WASM, threads: kernels.threads, isa, close: kernels.stop };
}

/** Starts a backend instance's kernel threads and scratch and attaches them as its kernel context. */
async function startKernels(backend: SharedHeapBackend, wanted: KernelSetup): Promise<InstanceKernels> {
  const memory = sharedMemoryOf(backend);
  const pool = await KernelPool.create(wanted.module, memory, { threads: wanted.threads });
  const scratch = heapScratch(backend);
  const exports = new WebAssembly.Instance(wanted.module, { env: { memory } }).exports;
  attachKernelContext({ backend, pool, isa: wanted.isa, threads: pool.threads, exports, scratch: scratch.scratch });
  let stopping: Promise<void> | undefined;
  const kernels: InstanceKernels = {
    setup: wanted,
    threads: pool.threads,
    get stopped() {
      return stopping !== undefined;
    },
    stop() {
      if (stopping === undefined) {
        scratch.free();
        stopping = pool.close();
      }
      return stopping;
    },
  };
  kernelsOf.set(backend, kernels);
  return kernels;
}

/** tfjs's factory for `alnum-wasm`: a shared-heap backend whose dispose also stops its kernels. */
async function createInstance(): Promise<SharedHeapBackend> {
  if (setup === undefined) throw new Error(`${OWN_WASM} starts only through useTrainingBackend`);
  const backend = await createSharedHeapBackend({ initialBytes: 256 << 20 });
  try {
    await startKernels(backend, setup);
  } catch (error) {
    backend.dispose();
    throw error;
  }
  const dispose = backend.dispose.bind(backend);
  backend.dispose = () => {
    // Scratch goes back to tfjs's malloc before the module is torn down; the threads stop in the background.
    void kernelsOf.get(backend)?.stop();
    dispose();
  };
  return backend;
}

function register(): void {
  if (tf.findBackendFactory(OWN_WASM) !== null) return;
  // Priority 0: never chosen by tfjs on its own, only when the harness asks for it.
  tf.registerBackend(OWN_WASM, createInstance, 0);
  const own = ownKernelNames();
  for (const kernel of tf.getKernelsForBackend('wasm')) {
    if (!own.has(kernel.kernelName)) tf.registerKernel({ ...kernel, backendName: OWN_WASM });
  }
  registerOwnKernels(OWN_WASM);
}
