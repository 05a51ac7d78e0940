import type { KernelConfig } from '@tensorflow/tfjs-core';
import { MATH_PARALLEL_MIN_ELEMENTS } from '../call/elementwise.js';
import { unaryKernelConfig } from '../call/elementwise_config.js';

/** 1 / (1 + exp(-x)) as tfjs's CPU backend computes it (in f64, rounded once), across threads; non-float32 runs tfjs's own kernel. */
export function sigmoidConfig(backendName: string): KernelConfig {
  return unaryKernelConfig('Sigmoid', backendName, 'f32_sigmoid__wasmsimd', MATH_PARALLEL_MIN_ELEMENTS);
}
