import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { ownKernelNames, registerOwnKernels } from '../kernels/register_all.js';
import { BackendUnavailable, type ActiveBackend, type BackendOptions } from './types.js';

/** The tfjs name of this project's training backend: the stock WASM backend plus our own kernels. */
export const OWN_WASM = 'alnum-wasm';

/**
 * Starts tfjs's WASM backend with this project's training kernels. It is registered under its own name so
 * that the stock `wasm` backend stays unmodified beside it for comparison.
 */
export async function openWasm(options: BackendOptions): Promise<ActiveBackend> {
  register();
  if (!(await tf.setBackend(OWN_WASM))) throw new BackendUnavailable('the WebAssembly module failed to start');
  return {
    name: 'wasm',
    tfjsName: OWN_WASM,
    detail: 'WASM SIMD with this project\'s training kernels, 1 thread',
    threads: Math.min(options.threads, 1),
    close: async () => {},
  };
}

function register(): void {
  if (tf.findBackendFactory(OWN_WASM) !== null) return;
  const stockFactory = tf.findBackendFactory('wasm');
  if (stockFactory === null) throw new BackendUnavailable('@tensorflow/tfjs-backend-wasm registered no backend');
  // Priority 0: never chosen by tfjs on its own, only when the harness asks for it.
  tf.registerBackend(OWN_WASM, stockFactory, 0);
  const own = ownKernelNames();
  for (const kernel of tf.getKernelsForBackend('wasm')) {
    if (!own.has(kernel.kernelName)) tf.registerKernel({ ...kernel, backendName: OWN_WASM });
  }
  registerOwnKernels(OWN_WASM);
}
