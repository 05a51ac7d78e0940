import type { KernelConfig } from '@tensorflow/tfjs-core';
import { unaryKernelConfig } from '../call/elementwise_config.js';

/** x * x across threads (batch norm's variance, Adam's g²); other dtypes run tfjs's own kernel. */
export function squareConfig(backendName: string): KernelConfig {
  return unaryKernelConfig('Square', backendName, 'f32_square__wasmsimd');
}
