import type { KernelConfig, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { kernelContext } from './context.js';
import { runElementwise, sizeOf } from './elementwise_call.js';
import { tensorOffset } from './wasm_heap.js';

/** The fused RMSprop update's kernel name; no tfjs op has it, only this project's backend registers it. */
export const APPLY_RMSPROP = 'ApplyRMSProp';

/** Settings of one update, as tfjs's RMSPropOptimizer names them (momentum 0, not centred). */
export type ApplyRMSPropAttrs = { learningRate: number; decay: number; epsilon: number } & NamedAttrMap;

/**
 * One RMSprop step of one variable in a single pass: inputs x (the variable), ms (its mean square) and g
 * (its gradient) give outputs [x', ms'], equal bit for bit to tfjs's op-by-op update.
 */
export function applyRMSPropConfig(backendName: string): KernelConfig {
  return {
    kernelName: APPLY_RMSPROP,
    backendName,
    kernelFunc: ({ inputs, attrs, backend }) => {
      const { x, ms, g } = inputs as { x: TensorInfo; ms: TensorInfo; g: TensorInfo };
      const { learningRate, decay, epsilon } = attrs as ApplyRMSPropAttrs;
      const n = sizeOf(x);
      for (const t of [x, ms, g]) {
        if (t.dtype !== 'float32' || sizeOf(t) !== n) {
          throw new Error(`${APPLY_RMSPROP} needs float32 tensors of one size, got x ${x.dtype}[${x.shape}], ms ${ms.dtype}[${ms.shape}], g ${g.dtype}[${g.shape}]`);
        }
      }
      const ctx = kernelContext(backend);
      const xOut = ctx.backend.makeOutput(x.shape, 'float32');
      const msOut = ctx.backend.makeOutput(x.shape, 'float32');
      const heap = ctx.backend;
      runElementwise(ctx, 'f32_rmsprop_simd', [
        tensorOffset(heap, x), tensorOffset(heap, ms), tensorOffset(heap, g), // x_offset, ms_offset, g_offset
        tensorOffset(heap, xOut), tensorOffset(heap, msOut), n, // x_out_offset, ms_out_offset, n
        // rho, one_minus_rho (computed in doubles then rounded, as tfjs's mul(square(g), 1 - decay)), lr, epsilon
        decay, 1 - decay, learningRate, epsilon,
      ], n);
      return [xOut, msOut];
    },
  };
}
