import type { KernelConfig, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { kernelContext } from '../call/context.js';
import { runElementwise, sizeOf } from '../call/elementwise.js';
import { updateOutputs } from '../call/in_place.js';
import { heapF32, tensorOffset } from '../call/wasm_heap.js';

/** The fused momentum update's kernel name; no tfjs op has it, only this project's backend registers it. */
export const APPLY_MOMENTUM = 'ApplyMomentum';

/**
 * Settings of one update. With `inPlace`, the caller gives up x and acc: where no other tensor shares their
 * data, the outputs are written over them.
 */
export type ApplyMomentumAttrs = { useNesterov: boolean; inPlace?: boolean } & NamedAttrMap;

/**
 * One momentum step of one variable in a single pass: inputs x (the variable), acc (its accumulation), g (its
 * gradient) and the scalars momentum and c (-learning rate), the tensors tfjs's MomentumOptimizer multiplies
 * by, give outputs [x', acc'], equal bit for bit to tfjs's op-by-op update (4 or 6 kernels per variable).
 */
export function applyMomentumConfig(backendName: string): KernelConfig {
  return {
    kernelName: APPLY_MOMENTUM,
    backendName,
    kernelFunc: ({ inputs, attrs, backend }) => {
      const { x, acc, g, momentum, c } = inputs as Record<'x' | 'acc' | 'g' | 'momentum' | 'c', TensorInfo>;
      const { useNesterov, inPlace } = attrs as ApplyMomentumAttrs;
      const n = sizeOf(x);
      // An internal invariant, not a case to fall back on: no tfjs op has this kernel, and its one caller
      // (src/train/momentum.ts) passes a float32 variable, its accumulation and gradient, and two float32 scalars.
      const sizes = [x, acc, g].every((t) => sizeOf(t) === n) && sizeOf(momentum) === 1 && sizeOf(c) === 1;
      if (!sizes || [x, acc, g, momentum, c].some((t) => t.dtype !== 'float32')) {
        const shapes = Object.entries(inputs as Record<string, TensorInfo>).map(([k, t]) => `${k} ${t.dtype}[${t.shape}]`);
        throw new Error(`${APPLY_MOMENTUM} needs float32 x, acc, g of one size and scalar momentum, c, got ${shapes.join(', ')}`);
      }
      const ctx = kernelContext(backend);
      const heap = ctx.backend;
      // The optimizer owns x and acc; the gradient may be shared, and is only read.
      const [xOut, accOut] = updateOutputs(heap, inPlace === true, [x, acc], [g, momentum, c]) as [TensorInfo, TensorInfo];
      // Offsets first: finding a tensor's data may move it here from another backend, and grow the heap.
      const [momentumAt, cAt] = [tensorOffset(heap, momentum), tensorOffset(heap, c)];
      const f32 = heapF32(heap);
      runElementwise(
        ctx,
        'f32_momentum__wasmsimd',
        [
          tensorOffset(heap, x), // x_offset
          tensorOffset(heap, acc), // acc_offset
          tensorOffset(heap, g), // g_offset
          tensorOffset(heap, xOut), // x_out_offset
          tensorOffset(heap, accOut), // acc_out_offset
          n, // n
          f32[momentumAt >>> 2]!, // momentum
          f32[cAt >>> 2]!, // c
          useNesterov ? 1 : 0, // nesterov
        ],
        n,
      );
      return [xOut, accOut];
    },
  };
}
