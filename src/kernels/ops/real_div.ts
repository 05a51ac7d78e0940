import type { KernelConfig } from '@tensorflow/tfjs-core';
import { binaryKernelConfig } from '../call/elementwise_config.js';

/**
 * Float32 quotients of two same-shape tensors, with a scalar on either side (Adam's bias corrections, Mean's
 * division by the count), or with a vector along the last axis on either side, across threads, each a true
 * division; other broadcasts and dtypes run tfjs's own kernel.
 */
export function realDivConfig(backendName: string): KernelConfig {
  return binaryKernelConfig('RealDiv', backendName, {
    same: 'f32_div__wasmsimd',
    scalar: 'f32_div_scalar__wasmsimd',
    scalarFirst: 'f32_rdiv_scalar__wasmsimd',
    channels: 'f32_div_channels__wasmsimd',
    channelsFirst: 'f32_rdiv_channels__wasmsimd',
  });
}
