import type { KernelConfig } from '@tensorflow/tfjs-core';
import { unaryKernelConfig } from '../call/elementwise_config.js';

/** Correctly rounded square roots across threads (Adam's sqrt(v)); other dtypes run tfjs's own kernel. */
export function sqrtConfig(backendName: string): KernelConfig {
  return unaryKernelConfig('Sqrt', backendName, 'f32_sqrt__wasmsimd');
}
