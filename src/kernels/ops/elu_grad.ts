import { type KernelConfig, type TensorInfo, util } from '@tensorflow/tfjs-core';
import { kernelContext } from '../call/context.js';
import { MATH_PARALLEL_MIN_ELEMENTS, runElementwise, sizeOf } from '../call/elementwise.js';
import { runStockKernel } from '../call/stock_kernel.js';
import { tensorOffset } from '../call/wasm_heap.js';

/**
 * Elu's gradient from its output y, y >= 0 ? dy : dy * (y + 1), across threads, as tfjs's CPU backend computes it
 * (the product in f64, rounded once); float32 tensors of one shape, anything else runs tfjs's own kernel.
 */
export function eluGradConfig(backendName: string): KernelConfig {
  return {
    kernelName: 'EluGrad',
    backendName,
    kernelFunc: (args) => {
      const { dy, y } = args.inputs as { dy: TensorInfo; y: TensorInfo };
      if (dy.dtype !== 'float32' || y.dtype !== 'float32' || !util.arraysEqual(dy.shape, y.shape)) return runStockKernel('EluGrad', args);
      const ctx = kernelContext(args.backend);
      const out = ctx.backend.makeOutput(y.shape, 'float32');
      const n = sizeOf(y);
      runElementwise(
        ctx,
        'f32_elu_grad__wasmsimd',
        [
          tensorOffset(ctx.backend, dy), // dy_offset
          tensorOffset(ctx.backend, y), // y_offset
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
