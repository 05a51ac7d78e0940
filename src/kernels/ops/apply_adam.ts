import type { KernelConfig, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { kernelContext } from '../call/context.js';
import { runElementwise, sizeOf } from '../call/elementwise.js';
import { updateOutputs } from '../call/in_place.js';
import { heapF32, tensorOffset } from '../call/wasm_heap.js';

/** The fused Adam update's kernel name; no tfjs op has it, only this project's backend registers it. */
export const APPLY_ADAM = 'ApplyAdam';

/**
 * Settings of one update, as tfjs's AdamOptimizer names them. With `inPlace`, the caller gives up x, m and v:
 * where no other tensor shares their data, the outputs are written over them.
 */
export type ApplyAdamAttrs = { learningRate: number; beta1: number; beta2: number; epsilon: number; inPlace?: boolean } & NamedAttrMap;

/**
 * One Adam step of one variable in a single pass: inputs x (the variable), m and v (its first and second
 * moments), g (its gradient) and the scalars accBeta1, accBeta2 (beta1^t and beta2^t, the optimizer's own
 * variables) give outputs [x', m', v'], equal bit for bit to tfjs's op-by-op update, which takes 14 kernels
 * and 6 scalar uploads per variable.
 */
export function applyAdamConfig(backendName: string): KernelConfig {
  return {
    kernelName: APPLY_ADAM,
    backendName,
    kernelFunc: ({ inputs, attrs, backend }) => {
      const { x, m, v, g, accBeta1, accBeta2 } = inputs as Record<'x' | 'm' | 'v' | 'g' | 'accBeta1' | 'accBeta2', TensorInfo>;
      const { learningRate, beta1, beta2, epsilon, inPlace } = attrs as ApplyAdamAttrs;
      const n = sizeOf(x);
      // An internal invariant, not a case to fall back on: no tfjs op has this kernel, and its one caller
      // (src/train/adam.ts) passes a float32 variable, its moments and gradient, and two float32 scalars.
      const sizes = [x, m, v, g].every((t) => sizeOf(t) === n) && sizeOf(accBeta1) === 1 && sizeOf(accBeta2) === 1;
      if (!sizes || [x, m, v, g, accBeta1, accBeta2].some((t) => t.dtype !== 'float32')) {
        const shapes = Object.entries(inputs as Record<string, TensorInfo>).map(([k, t]) => `${k} ${t.dtype}[${t.shape}]`);
        throw new Error(`${APPLY_ADAM} needs float32 x, m, v, g of one size and scalar accBeta1, accBeta2, got ${shapes.join(', ')}`);
      }
      const ctx = kernelContext(backend);
      const heap = ctx.backend;
      // The optimizer owns x, m and v; the gradient may be shared, and is only read.
      const [xOut, mOut, vOut] = updateOutputs(heap, inPlace === true, [x, m, v], [g, accBeta1, accBeta2]) as [TensorInfo, TensorInfo, TensorInfo];
      // tfjs's sub(1, accBeta): a float32 subtraction, which the f64 one rounded once to f32 (in the call) equals.
      // Offsets first: finding a tensor's data may move it here from another backend, and grow the heap.
      const [acc1At, acc2At] = [tensorOffset(heap, accBeta1), tensorOffset(heap, accBeta2)];
      const f32 = heapF32(heap);
      const acc1 = f32[acc1At >>> 2]!;
      const acc2 = f32[acc2At >>> 2]!;
      runElementwise(
        ctx,
        'f32_adam__wasmsimd',
        [
          tensorOffset(heap, x), // x_offset
          tensorOffset(heap, m), // m_offset
          tensorOffset(heap, v), // v_offset
          tensorOffset(heap, g), // g_offset
          tensorOffset(heap, xOut), // x_out_offset
          tensorOffset(heap, mOut), // m_out_offset
          tensorOffset(heap, vOut), // v_out_offset
          n, // n
          // Every constant as tfjs uploads it: a JS number (1 - beta computed in doubles) rounded to float32.
          beta1, // beta1
          1 - beta1, // one_minus_beta1
          beta2, // beta2
          1 - beta2, // one_minus_beta2
          1 - acc1, // one_minus_acc_beta1
          1 - acc2, // one_minus_acc_beta2
          epsilon, // epsilon
          -learningRate, // neg_lr
        ],
        n,
      );
      return [xOut, mOut, vOut];
    },
  };
}
