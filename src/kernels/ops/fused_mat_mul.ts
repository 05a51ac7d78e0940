import type { _FusedMatMulAttrs, KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import { kernelContext } from '../call/context.js';
import { batchedMatMul } from '../gemm/batched.js';

/** A Dense layer's forward pass in one go: op(a)·op(b) + bias, then ReLU or nothing. */
export function fusedMatMulConfig(backendName: string): KernelConfig {
  return {
    kernelName: '_FusedMatMul',
    backendName,
    kernelFunc: ({ inputs, attrs, backend }) => {
      const { a, b, bias, preluActivationWeights } = inputs as { a: TensorInfo; b: TensorInfo; bias?: TensorInfo; preluActivationWeights?: TensorInfo };
      const { transposeA, transposeB, activation } = attrs as unknown as _FusedMatMulAttrs;
      // tfjs-layers fuses only linear and ReLU for the notebook's layers; others would need their own epilogue.
      if ((activation !== 'linear' && activation !== 'relu') || preluActivationWeights !== undefined) {
        throw new Error(`_FusedMatMul on the wasm backend supports linear and relu activations, not ${activation}`);
      }
      return batchedMatMul(kernelContext(backend), { a, b, transposeA, transposeB, bias, relu: activation === 'relu' });
    },
  };
}
