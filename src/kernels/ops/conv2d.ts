import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import { runStockKernel } from '../call/stock_kernel.js';
import { type ConvForwardAttrs, convForward, ownsConvForward } from '../conv/forward.js';

/** Multi-threaded implicit-GEMM Conv2D (NHWC, dilation 1); other cases run tfjs's stock kernel. */
export function conv2DConfig(backendName: string): KernelConfig {
  return {
    kernelName: 'Conv2D',
    backendName,
    kernelFunc: (args) => {
      const { x, filter } = args.inputs as { x: TensorInfo; filter: TensorInfo };
      const attrs = args.attrs as unknown as ConvForwardAttrs;
      if (!ownsConvForward(x, filter, attrs)) return runStockKernel('Conv2D', args);
      return convForward(args.backend, x, filter, attrs, undefined, false);
    },
  };
}
