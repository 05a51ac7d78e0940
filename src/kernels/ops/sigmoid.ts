import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import { kernelContext } from '../call/context.js';
import { MATH_PARALLEL_MIN_ELEMENTS, runElementwise, sizeOf } from '../call/elementwise.js';
import { runStockKernel } from '../call/stock_kernel.js';
import { tensorOffset } from '../call/wasm_heap.js';

/** 1 / (1 + exp(-x)) as tfjs's CPU backend computes it (in f64, rounded once), across threads; non-float32 runs tfjs's own kernel. */
export function sigmoidConfig(backendName: string): KernelConfig {
  return {
    kernelName: 'Sigmoid',
    backendName,
    kernelFunc: (args) => {
      const { x } = args.inputs as { x: TensorInfo };
      if (x.dtype !== 'float32') return runStockKernel('Sigmoid', args);
      const ctx = kernelContext(args.backend);
      const out = ctx.backend.makeOutput(x.shape, 'float32');
      const n = sizeOf(x);
      runElementwise(
        ctx,
        'f32_sigmoid__wasmsimd',
        [
          tensorOffset(ctx.backend, x), // x_offset
          tensorOffset(ctx.backend, out), // out_offset
          n, // n
        ],
        n,
        MATH_PARALLEL_MIN_ELEMENTS,
      );
      return out;
    },
  };
}
