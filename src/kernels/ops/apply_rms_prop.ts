import type { KernelConfig, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { type KernelContext, kernelContext } from '../call/context.js';
import { runElementwise, sizeOf } from '../call/elementwise.js';
import { updateOutputs } from '../call/in_place.js';
import { tensorOffset } from '../call/wasm_heap.js';

/** The fused RMSprop update's kernel name; no tfjs op has it, only this project's backend registers it. */
export const APPLY_RMSPROP = 'ApplyRMSProp';

/**
 * Settings of one update, as tfjs's RMSPropOptimizer names them (momentum 0, not centred). With `inPlace`,
 * the caller gives up x and ms: where no other tensor shares their data, the outputs are written over them.
 */
export type ApplyRMSPropAttrs = { learningRate: number; decay: number; epsilon: number; inPlace?: boolean } & NamedAttrMap;

/**
 * One RMSprop step of one variable in a single pass: inputs x (the variable), ms (its mean square) and g
 * (its gradient) give outputs [x', ms'], equal bit for bit to tfjs's op-by-op update. Written in place
 * (when allowed) it moves 5 arrays through memory instead of 7: fresh outputs are read before being written.
 */
export function applyRMSPropConfig(backendName: string): KernelConfig {
  return {
    kernelName: APPLY_RMSPROP,
    backendName,
    kernelFunc: ({ inputs, attrs, backend }) => {
      const { x, ms, g } = inputs as { x: TensorInfo; ms: TensorInfo; g: TensorInfo };
      const { learningRate, decay, epsilon, inPlace } = attrs as ApplyRMSPropAttrs;
      const n = sizeOf(x);
      // An internal invariant, not a case to fall back on: no tfjs op has this kernel, and its one caller
      // (src/train/rmsprop.ts) passes a float32 variable, its mean square and its gradient.
      for (const t of [x, ms, g]) {
        if (t.dtype !== 'float32' || sizeOf(t) !== n) {
          throw new Error(
            `${APPLY_RMSPROP} needs float32 tensors of one size, got x ${x.dtype}[${x.shape}], ms ${ms.dtype}[${ms.shape}], g ${g.dtype}[${g.shape}]`,
          );
        }
      }
      const ctx = kernelContext(backend);
      // The optimizer owns x and ms; the gradient may be shared, and is only read.
      const [xOut, msOut] = updateOutputs(ctx.backend, inPlace === true, [x, ms], [g]) as [TensorInfo, TensorInfo];
      run(ctx, x, ms, g, xOut, msOut, n, learningRate, decay, epsilon);
      return [xOut, msOut];
    },
  };
}

function run(
  ctx: KernelContext,
  x: TensorInfo,
  ms: TensorInfo,
  g: TensorInfo,
  xOut: TensorInfo,
  msOut: TensorInfo,
  n: number,
  learningRate: number,
  decay: number,
  epsilon: number,
): void {
  const heap = ctx.backend;
  runElementwise(
    ctx,
    'f32_rmsprop__wasmsimd',
    [
      tensorOffset(heap, x), // x_offset
      tensorOffset(heap, ms), // ms_offset
      tensorOffset(heap, g), // g_offset
      tensorOffset(heap, xOut), // x_out_offset
      tensorOffset(heap, msOut), // ms_out_offset
      n, // n
      // rho, one_minus_rho (computed in doubles then rounded, as tfjs's mul(square(g), 1 - decay)), lr, epsilon
      decay,
      1 - decay,
      learningRate,
      epsilon,
    ],
    n,
  );
}
