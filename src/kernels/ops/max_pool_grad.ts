import { backend_util, type KernelConfig, type KernelFunc, type MaxPoolGradAttrs, type TensorInfo, util } from '@tensorflow/tfjs-core';
import { Composition } from '../call/compose.js';
import { kernelContext } from '../call/context.js';
import { runStockKernel } from '../call/stock_kernel.js';
import { heapF32, tensorOffset } from '../call/wasm_heap.js';
import { chunks } from '../conv/pass.js';
import { poolGeometryArgs } from './max_pool.js';
import { RELU_GRAD } from './relu_grad.js';

type KernelFuncArgs = Parameters<KernelFunc>[0];

/**
 * Gradient of NHWC max pooling: each window's dy goes to its first maximal input, as in tfjs's CPU
 * backend. Threads split output rows when windows do not overlap vertically, else whole images; other
 * dtypes, and a dy whose shape is not the pooling's output, run the stock kernel.
 */
export function maxPoolGradConfig(backendName: string): KernelConfig {
  return {
    kernelName: 'MaxPoolGrad',
    backendName,
    kernelFunc: (args) => runMaxPoolGrad(args, false) ?? runStockKernel('MaxPoolGrad', args),
  };
}

/** The kernel that `MAX_POOL_RELU_GRAD` names: `MaxPoolGrad` then `ReluGrad` on its input, in one pass. */
export const MAX_POOL_RELU_GRAD = 'AlnumMaxPoolReluGrad';

/**
 * The gradient of maxpool(relu(z)) with respect to z, given dy, the pooling's input (the ReLU's output)
 * and its output: MaxPoolGrad's dx times step(input), the bits of the two kernels in turn, with each
 * dx row masked while still in cache. Only `maxPoolOfRelu`'s gradient (src/models/max_pool_of_relu.ts)
 * calls it; a case our MaxPoolGrad does not cover runs the two kernels.
 */
export function maxPoolReluGradConfig(backendName: string): KernelConfig {
  return {
    kernelName: MAX_POOL_RELU_GRAD,
    backendName,
    kernelFunc: (args) => {
      const fused = runMaxPoolGrad(args, true);
      if (fused !== undefined) return fused;
      const { input } = args.inputs as { input: TensorInfo };
      const steps = new Composition({ backend: args.backend, backendName });
      try {
        const dx = steps.run('MaxPoolGrad', args.inputs as Record<string, TensorInfo>, args.attrs ?? {});
        return steps.run(RELU_GRAD, { dy: dx, x: input }, {}, true);
      } finally {
        steps.dispose();
      }
    },
  };
}

/** MaxPoolGrad on our threads, masked by step(input) when `relu`; undefined for a case the kernel does not cover. */
function runMaxPoolGrad(args: KernelFuncArgs, relu: boolean): TensorInfo | undefined {
  const { dy, input } = args.inputs as { dy: TensorInfo; input: TensorInfo };
  const { filterSize, strides, pad, dimRoundingMode } = args.attrs as unknown as MaxPoolGradAttrs;
  const info = backend_util.computePool2DInfo(input.shape as [number, number, number, number], filterSize, strides, 1, pad, dimRoundingMode);
  // Our kernel reads dy with the geometry the pooling derives; any other dy, or dtype, is not ours.
  if (input.dtype !== 'float32' || dy.dtype !== 'float32' || !util.arraysEqual(dy.shape, info.outShape)) return undefined;
  // The kernel's unit: one output row, or one image when windows overlap vertically.
  const units = info.strideHeight < info.filterHeight ? info.batchSize : info.batchSize * info.outHeight;
  const empty = input.shape.some((d) => d === 0);
  // No window at all (input smaller than the filter): the gradient is zero everywhere, masked or not
  // (0 * step(NaN) is NaN), which the two kernels give.
  if (units === 0 && !empty && relu) return undefined;
  const ctx = kernelContext(args.backend);
  const dx = ctx.backend.makeOutput(input.shape, 'float32');
  if (empty) return dx;
  if (units === 0) {
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
      relu ? 1 : 0, // relu
    ],
    units,
    chunks(ctx.threads),
  );
  return dx;
}
