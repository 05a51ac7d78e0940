import { backend_util, type KernelConfig, type MaxPoolGradAttrs, type TensorInfo, util } from '@tensorflow/tfjs-core';
import { kernelContext } from '../call/context.js';
import { runStockKernel } from '../call/stock_kernel.js';
import { heapF32, tensorOffset } from '../call/wasm_heap.js';
import { chunks } from '../conv/pass.js';
import { poolGeometryArgs } from './max_pool.js';

/**
 * Gradient of NHWC max pooling: each window's dy goes to its first maximal input, as in tfjs's CPU
 * backend. Threads split output rows when windows do not overlap vertically, else whole images; other
 * dtypes, and a dy whose shape is not the pooling's output, run the stock kernel.
 */
export function maxPoolGradConfig(backendName: string): KernelConfig {
  return {
    kernelName: 'MaxPoolGrad',
    backendName,
    kernelFunc: (args) => {
      const { dy, input } = args.inputs as { dy: TensorInfo; input: TensorInfo };
      const { filterSize, strides, pad, dimRoundingMode } = args.attrs as unknown as MaxPoolGradAttrs;
      const info = backend_util.computePool2DInfo(input.shape as [number, number, number, number], filterSize, strides, 1, pad, dimRoundingMode);
      // Our kernel reads dy with the geometry the pooling derives; any other dy, or dtype, is the stock kernel's.
      if (input.dtype !== 'float32' || dy.dtype !== 'float32' || !util.arraysEqual(dy.shape, info.outShape)) {
        return runStockKernel('MaxPoolGrad', args);
      }
      const ctx = kernelContext(args.backend);
      const dx = ctx.backend.makeOutput(input.shape, 'float32');
      if (input.shape.some((d) => d === 0)) return dx;
      // The kernel's unit: one output row, or one image when windows overlap vertically.
      const units = info.strideHeight < info.filterHeight ? info.batchSize : info.batchSize * info.outHeight;
      if (units === 0) {
        // No window at all (input smaller than the filter): the gradient is zero everywhere.
        heapF32(ctx.backend).fill(0, tensorOffset(ctx.backend, dx) / 4, tensorOffset(ctx.backend, dx) / 4 + util.sizeFromShape(input.shape));
        return dx;
      }
      ctx.pool.parallelFor(
        'f32_maxpool2d_grad_nhwc__wasmsimd',
        [
          tensorOffset(ctx.backend, dy), // dy
          tensorOffset(ctx.backend, input), // x
          ...poolGeometryArgs(info),
          tensorOffset(ctx.backend, dx), // dx
        ],
        units,
        chunks(ctx.threads),
      );
      return dx;
    },
  };
}
