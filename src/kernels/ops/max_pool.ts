import { backend_util, type KernelConfig, type MaxPoolAttrs, type TensorInfo } from '@tensorflow/tfjs-core';
import { kernelContext } from '../call/context.js';
import { runStockKernel } from '../call/stock_kernel.js';
import { tensorOffset } from '../call/wasm_heap.js';
import { chunks } from '../conv/pass.js';

/** The pooling geometry both max-pool kernels take, in their argument order after the tensor offsets. */
export function poolGeometryArgs(info: backend_util.Conv2DInfo): number[] {
  return [
    info.inHeight, // inH
    info.inWidth, // inW
    info.inChannels, // c
    info.outHeight, // outH
    info.outWidth, // outW
    info.filterHeight, // fh
    info.filterWidth, // fw
    info.strideHeight, // strideH
    info.strideWidth, // strideW
    info.padInfo.top, // padT
    info.padInfo.left, // padL
  ];
}

/**
 * A forward pooling kernel (max or average) over `x` into a fresh float32 output, its output rows split
 * across threads; both kernels take the same arguments.
 */
export function runPoolForward(backend: unknown, kernel: string, x: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  const ctx = kernelContext(backend);
  const out = ctx.backend.makeOutput(info.outShape, 'float32');
  const rows = info.batchSize * info.outHeight;
  if (rows === 0 || info.outWidth === 0 || info.inChannels === 0) return out;
  ctx.pool.parallelFor(
    kernel,
    [
      tensorOffset(ctx.backend, x), // x
      ...poolGeometryArgs(info),
      tensorOffset(ctx.backend, out), // out
    ],
    rows,
    chunks(ctx.threads),
  );
  return out;
}

/** Multi-threaded NHWC float32 max pooling, output rows split across threads; other dtypes run the stock kernel. */
export function maxPoolConfig(backendName: string): KernelConfig {
  return {
    kernelName: 'MaxPool',
    backendName,
    kernelFunc: (args) => {
      const { x } = args.inputs as { x: TensorInfo };
      if (x.dtype !== 'float32') return runStockKernel('MaxPool', args);
      const { filterSize, strides, pad, dimRoundingMode } = args.attrs as unknown as MaxPoolAttrs;
      const info = backend_util.computePool2DInfo(x.shape as [number, number, number, number], filterSize, strides, 1, pad, dimRoundingMode);
      return runPoolForward(args.backend, 'f32_maxpool2d_nhwc__wasmsimd', x, info);
    },
  };
}
