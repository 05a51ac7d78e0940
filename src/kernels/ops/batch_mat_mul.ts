import type { BatchMatMulAttrs, KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import { Composition } from '../call/compose.js';
import { kernelContext } from '../call/context.js';
import { batchedMatMul } from '../gemm/batched.js';

/**
 * Matrix products in all four transpose combinations (the forward and both backward products of Dense),
 * batch dimensions broadcast as tfjs's matMul op does. Other dtypes than float32 (int32 products, which
 * the stock kernel refuses) are cast to float32 and the product back to a's dtype, as exact as the CPU
 * backend's for sums below 2^24.
 */
export function batchMatMulConfig(backendName: string): KernelConfig {
  return {
    kernelName: 'BatchMatMul',
    backendName,
    kernelFunc: ({ inputs, attrs, backend }) => {
      const { a, b } = inputs as { a: TensorInfo; b: TensorInfo };
      const { transposeA, transposeB } = attrs as unknown as BatchMatMulAttrs;
      const ctx = kernelContext(backend);
      if (a.dtype === 'float32' && b.dtype === 'float32') return batchedMatMul(ctx, { a, b, transposeA, transposeB });
      const steps = new Composition({ backend, backendName });
      try {
        const product = batchedMatMul(ctx, {
          a: a.dtype === 'float32' ? a : steps.run('Cast', { x: a }, { dtype: 'float32' }),
          b: b.dtype === 'float32' ? b : steps.run('Cast', { x: b }, { dtype: 'float32' }),
          transposeA,
          transposeB,
        });
        if (a.dtype === 'float32') return product;
        steps.keep(product);
        return steps.run('Cast', { x: product }, { dtype: a.dtype }, true);
      } finally {
        steps.dispose();
      }
    },
  };
}
