import * as tf from '@tensorflow/tfjs-core';
import { OWN_WASM } from '../backends/types.js';

/**
 * Backends whose tensors live in this process's memory, where reading one back is a copy. On any other
 * (tfjs-node's CUDA backend above all) a read waits until the device has run everything queued before it,
 * so training reads nothing per batch there (train_step.ts, fit.ts).
 */
const HOST_MEMORY_BACKENDS: ReadonlySet<string> = new Set(['cpu', 'wasm', OWN_WASM]);

/** Whether reading a tensor on the current backend is a copy rather than a wait for a device. */
export function hostReadsAreCheap(): boolean {
  return HOST_MEMORY_BACKENDS.has(tf.getBackend());
}
