import * as tf from '@tensorflow/tfjs-core';
import type { ActiveBackend } from './types.js';

/** Starts the stock tfjs WebAssembly backend, unmodified, as the baseline to compare against. */
export async function openStockWasm(): Promise<ActiveBackend> {
  // Loading the package registers the backend; done here so that importing the trainer registers nothing.
  await import('@tensorflow/tfjs-backend-wasm');
  await tf.setBackend('wasm');
  return {
    name: 'tfjs-wasm',
    tfjsName: 'wasm',
    // Under Node the stock backend always runs single-threaded (tfjs forces multithreading off).
    detail: 'stock tfjs-backend-wasm 4.22, SIMD, 1 thread',
    threads: 1,
    close: async () => {},
  };
}

/** Whether the stock WASM backend, once opened, can train a network with Conv2D layers (it lacks a filter gradient). */
export function stockWasmTrainsConv(): boolean {
  return tf.getKernel('Conv2DBackpropFilter', 'wasm') !== undefined;
}
