import type { KernelConfig } from '@tensorflow/tfjs-core';
import { binaryKernelConfig } from '../call/elementwise_config.js';

/**
 * Float32 sums of two same-shape tensors (the optimizers' updates, gradients accumulated on the tape), of a tensor
 * and a scalar, or of a tensor and a vector along its last axis, across threads; other broadcasts and dtypes run
 * tfjs's own kernel.
 */
export function addConfig(backendName: string): KernelConfig {
  return binaryKernelConfig('Add', backendName, {
    same: 'f32_add__wasmsimd',
    scalar: 'f32_add_scalar__wasmsimd',
    scalarFirst: 'f32_add_scalar__wasmsimd',
    channels: 'f32_add_channels__wasmsimd',
    channelsFirst: 'f32_add_channels__wasmsimd',
  });
}
