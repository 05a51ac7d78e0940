import type { KernelConfig } from '@tensorflow/tfjs-core';
import { binaryKernelConfig } from '../call/elementwise_config.js';

/**
 * Float32 differences of two same-shape tensors, with a scalar on either side (Adam's 1 - beta^t), or with a
 * vector along the last axis on either side (batch norm's x - mean), across threads; other broadcasts and
 * dtypes run tfjs's own kernel.
 */
export function subConfig(backendName: string): KernelConfig {
  return binaryKernelConfig('Sub', backendName, {
    same: 'f32_sub__wasmsimd',
    scalar: 'f32_sub_scalar__wasmsimd',
    scalarFirst: 'f32_rsub_scalar__wasmsimd',
    channels: 'f32_sub_channels__wasmsimd',
    channelsFirst: 'f32_rsub_channels__wasmsimd',
  });
}
