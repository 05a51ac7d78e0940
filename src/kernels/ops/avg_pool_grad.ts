import { type AvgPoolGradAttrs, backend_util, type KernelConfig, type TensorInfo, util } from '@tensorflow/tfjs-core';
import { kernelContext } from '../call/context.js';
import { runStockKernel } from '../call/stock_kernel.js';
import { tensorOffset } from '../call/wasm_heap.js';
import { chunks } from '../conv/pass.js';
import { poolGeometryArgs } from './max_pool.js';

/**
 * Gradient of NHWC average pooling as tfjs's CPU backend computes it: each dx element gathers the dy of the
 * windows covering it, in float64, times 1/(fh*fw) for every window (also the padded ones the forward pass
 * divides by fewer taps). dx rows split across threads; other dtypes, and a dy whose shape is not the
 * pooling's output, run the stock kernel.
 */
export function avgPoolGradConfig(backendName: string): KernelConfig {
  return {
    kernelName: 'AvgPoolGrad',
    backendName,
    kernelFunc: (args) => {
      const { dy, input } = args.inputs as { dy: TensorInfo; input: TensorInfo };
      const { filterSize, strides, pad } = args.attrs as unknown as AvgPoolGradAttrs;
      // No dimRoundingMode, as the CPU kernel: its dy geometry is the one derived here.
      const info = backend_util.computePool2DInfo(input.shape as [number, number, number, number], filterSize, strides, 1, pad);
      if (input.dtype !== 'float32' || dy.dtype !== 'float32' || !util.arraysEqual(dy.shape, info.outShape)) {
        return runStockKernel('AvgPoolGrad', args);
      }
      const ctx = kernelContext(args.backend);
      const dx = ctx.backend.makeOutput(input.shape, 'float32');
      const rows = info.batchSize * info.inHeight;
      if (rows === 0 || info.inWidth === 0 || info.inChannels === 0) return dx;
      ctx.pool.parallelFor(
        'f32_avgpool2d_grad_nhwc__wasmsimd',
        [
          tensorOffset(ctx.backend, dy), // dy
          ...poolGeometryArgs(info),
          1 / (info.filterHeight * info.filterWidth), // mult, the CPU's float64 multiplier
          tensorOffset(ctx.backend, dx), // dx
        ],
        rows,
        chunks(ctx.threads),
      );
      return dx;
    },
  };
}
