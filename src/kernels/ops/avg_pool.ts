import { type AvgPoolAttrs, backend_util, type KernelConfig, type TensorInfo, util } from '@tensorflow/tfjs-core';
import { runStockKernel } from '../call/stock_kernel.js';
import { identityConfig } from './identity.js';
import { runPoolForward } from './max_pool.js';

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
      return runPoolForward(args.backend, 'f32_avgpool2d_nhwc__wasmsimd', x, info);
    },
  };
}
