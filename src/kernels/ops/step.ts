import type { KernelConfig, StepAttrs, TensorInfo } from '@tensorflow/tfjs-core';
import { kernelContext } from '../call/context.js';
import { runElementwise, sizeOf } from '../call/elementwise.js';
import { runStockKernel } from '../call/stock_kernel.js';
import { tensorOffset } from '../call/wasm_heap.js';

/** x > 0 ? 1 : alpha, NaN kept (the mask in ReLU's gradient), across threads; non-float32 runs tfjs's own kernel. */
export function stepConfig(backendName: string): KernelConfig {
  return {
    kernelName: 'Step',
    backendName,
    kernelFunc: (args) => {
      const { x } = args.inputs as { x: TensorInfo };
      if (x.dtype !== 'float32') return runStockKernel('Step', args);
      const { alpha } = args.attrs as unknown as StepAttrs;
      const ctx = kernelContext(args.backend);
      const out = ctx.backend.makeOutput(x.shape, 'float32');
      const n = sizeOf(x);
      runElementwise(
        ctx,
        'f32_step__wasmsimd',
        [
          tensorOffset(ctx.backend, x), // x_offset
          tensorOffset(ctx.backend, out), // out_offset
          n, // n
          alpha, // alpha
        ],
        n,
      );
      return out;
    },
  };
}
