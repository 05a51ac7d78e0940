import { type _FusedMatMulAttrs, type KernelConfig, type TensorInfo, util } from '@tensorflow/tfjs-core';
import { applyActivation } from '../call/activation.js';
import { Composition } from '../call/compose.js';
import { kernelContext } from '../call/context.js';
import { batchedMatMul, matMulSizes } from '../gemm/batched.js';

/**
 * A Dense layer's forward pass in one go: op(a)·op(b) + bias, then ReLU or nothing. Other activations,
 * biases other than one value per output column, and other dtypes are composed on this backend as tfjs's
 * CPU backend composes them: the product (our BatchMatMul), a broadcasting Add of the bias, then the
 * activation's own kernel.
 */
export function fusedMatMulConfig(backendName: string): KernelConfig {
  return {
    kernelName: '_FusedMatMul',
    backendName,
    kernelFunc: ({ inputs, attrs, backend }) => {
      const { a, b, bias, preluActivationWeights } = inputs as {
        a: TensorInfo;
        b: TensorInfo;
        bias?: TensorInfo | null;
        preluActivationWeights?: TensorInfo | null;
      };
      const { transposeA, transposeB, leakyreluAlpha } = attrs as unknown as _FusedMatMulAttrs;
      const activation = (attrs as unknown as _FusedMatMulAttrs).activation ?? 'linear';
      const { n } = matMulSizes(a, b, transposeA, transposeB);
      // A [1, n] bias adds to every row as [n] does, since the product has rank 2 or more.
      const columnBias =
        bias == null || (bias.dtype === 'float32' && bias.shape.at(-1) === n && bias.shape.length <= 2 && util.sizeFromShape(bias.shape) === n);
      if ((activation === 'linear' || activation === 'relu') && columnBias && a.dtype === 'float32' && b.dtype === 'float32') {
        return batchedMatMul(kernelContext(backend), { a, b, transposeA, transposeB, bias: bias ?? undefined, relu: activation === 'relu' });
      }
      const steps = new Composition({ backend, backendName });
      try {
        const product = steps.run('BatchMatMul', { a, b }, { transposeA, transposeB });
        const biased = bias == null ? product : steps.run('Add', { a: product, b: bias });
        return applyActivation(steps, biased, { activation, preluActivationWeights, leakyreluAlpha });
      } finally {
        steps.dispose();
      }
    },
  };
}
