import type { BatchMatMulAttrs, KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import { kernelContext } from '../call/context.js';
import { batchedMatMul } from '../gemm/batched.js';

/** Matrix products in all four transpose combinations: the forward and both backward products of Dense. */
export function batchMatMulConfig(backendName: string): KernelConfig {
  return {
    kernelName: 'BatchMatMul',
    backendName,
    kernelFunc: ({ inputs, attrs, backend }) => {
      const { a, b } = inputs as { a: TensorInfo; b: TensorInfo };
      const { transposeA, transposeB } = attrs as unknown as BatchMatMulAttrs;
      return batchedMatMul(kernelContext(backend), { a, b, transposeA, transposeB });
    },
  };
}
