import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import { kernelContext } from '../call/context.js';
import { runElementwise, sizeOf } from '../call/elementwise.js';
import { runStockKernel } from '../call/stock_kernel.js';
import { tensorOffset } from '../call/wasm_heap.js';

/** max(0, x) across threads, as tfjs's CPU backend computes it; non-float32 runs tfjs's own kernel. */
export function reluConfig(backendName: string): KernelConfig {
  return {
    kernelName: 'Relu',
    backendName,
    kernelFunc: (args) => {
      const { x } = args.inputs as { x: TensorInfo };
      if (x.dtype !== 'float32') return runStockKernel('Relu', args);
      const ctx = kernelContext(args.backend);
      const out = ctx.backend.makeOutput(x.shape, 'float32');
      const n = sizeOf(x);
      runElementwise(
        ctx,
        'f32_relu__wasmsimd',
        [
          tensorOffset(ctx.backend, x), // x_offset
          tensorOffset(ctx.backend, out), // out_offset
          n, // n
        ],
        n,
      );
      return out;
    },
  };
}
