import type { KernelConfig } from '@tensorflow/tfjs-core';
import { MATH_PARALLEL_MIN_ELEMENTS } from '../call/elementwise.js';
import { unaryKernelConfig } from '../call/elementwise_config.js';

/** x >= 0 ? x : exp(x) - 1 as tfjs's CPU backend computes it (in f64, rounded once), across threads; non-float32 runs tfjs's own kernel. */
export function eluConfig(backendName: string): KernelConfig {
  return unaryKernelConfig('Elu', backendName, 'f32_elu__wasmsimd', MATH_PARALLEL_MIN_ELEMENTS);
}
