import { type AvgPoolAttrs, backend_util, type KernelConfig, type TensorInfo, util } from '@tensorflow/tfjs-core';
import { kernelContext } from '../call/context.js';
import { runStockKernel } from '../call/stock_kernel.js';
import { tensorOffset } from '../call/wasm_heap.js';
import { chunks } from '../conv/pass.js';
import { identityConfig } from './identity.js';
import { poolGeometryArgs } from './max_pool.js';

/**
 * Multi-threaded NHWC float32 average pooling, output rows split across threads, equal bit for bit to tfjs's
 * CPU backend (float64 sums, one rounding). A 1x1 filter that keeps the shape is the CPU's identity, even when
 * padding moves the windows; other dtypes run the stock kernel.
 */
export function avgPoolConfig(backendName: string): KernelConfig {
  const identity = identityConfig(backendName).kernelFunc;
  return {
    kernelName: 'AvgPool',
    backendName,
    kernelFunc: (args) => {
      const { x } = args.inputs as { x: TensorInfo };
      if (x.dtype !== 'float32') return runStockKernel('AvgPool', args);
      const { filterSize, strides, pad, dimRoundingMode } = args.attrs as unknown as AvgPoolAttrs;
      const info = backend_util.computePool2DInfo(x.shape as [number, number, number, number], filterSize, strides, 1, pad, dimRoundingMode);
      if (info.filterHeight === 1 && info.filterWidth === 1 && util.arraysEqual(info.inShape, info.outShape)) return identity(args);
      const ctx = kernelContext(args.backend);
      const out = ctx.backend.makeOutput(info.outShape, 'float32');
      const rows = info.batchSize * info.outHeight;
      if (rows === 0 || info.outWidth === 0 || info.inChannels === 0) return out;
      ctx.pool.parallelFor(
        'f32_avgpool2d_nhwc__wasmsimd',
        [
          tensorOffset(ctx.backend, x), // x
          ...poolGeometryArgs(info),
          tensorOffset(ctx.backend, out), // out
        ],
        rows,
        chunks(ctx.threads),
      );
      return out;
    },
  };
}
