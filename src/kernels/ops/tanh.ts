import type { KernelConfig } from '@tensorflow/tfjs-core';
import { MATH_PARALLEL_MIN_ELEMENTS } from '../call/elementwise.js';
import { unaryKernelConfig } from '../call/elementwise_config.js';

/** tanh(x) as tfjs's CPU backend computes it (Math.tanh in f64, rounded once), across threads; non-float32 runs tfjs's own kernel. */
export function tanhConfig(backendName: string): KernelConfig {
  return unaryKernelConfig('Tanh', backendName, 'f32_tanh__wasmsimd', MATH_PARALLEL_MIN_ELEMENTS);
}
