import type { KernelConfig } from '@tensorflow/tfjs-core';
import { unaryKernelConfig } from '../call/elementwise_config.js';

/** max(0, x) across threads, as tfjs's CPU backend computes it; non-float32 runs tfjs's own kernel. */
export function reluConfig(backendName: string): KernelConfig {
  return unaryKernelConfig('Relu', backendName, 'f32_relu__wasmsimd');
}
