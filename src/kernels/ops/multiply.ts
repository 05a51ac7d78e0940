import type { KernelConfig } from '@tensorflow/tfjs-core';
import { binaryKernelConfig } from '../call/elementwise_config.js';

/**
 * Float32 products of two same-shape tensors (ReLU's gradient: dy * step(x)), of a tensor and a scalar, or of a
 * tensor and a vector along its last axis (batch norm's per-channel scales), across threads; other broadcasts
 * and integer products run tfjs's own kernel.
 */
export function multiplyConfig(backendName: string): KernelConfig {
  return binaryKernelConfig('Multiply', backendName, {
    same: 'f32_mul__wasmsimd',
    scalar: 'f32_mul_scalar__wasmsimd',
    scalarFirst: 'f32_mul_scalar__wasmsimd',
    channels: 'f32_mul_channels__wasmsimd',
    channelsFirst: 'f32_mul_channels__wasmsimd',
  });
}
