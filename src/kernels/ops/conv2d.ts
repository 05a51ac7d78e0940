import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import { Composition } from '../call/compose.js';
import { runStockKernel } from '../call/stock_kernel.js';
import { type ConvForwardAttrs, convForward, ownsConvForward } from '../conv/forward.js';
import { padForNhwc } from '../conv/layout.js';

/**
 * Multi-threaded implicit-GEMM Conv2D (NHWC, dilation 1); dilated ones run tfjs's stock kernel. NCHW
 * (which the stock kernel refuses) and other dtypes are brought to float32 NHWC and back.
 */
export function conv2DConfig(backendName: string): KernelConfig {
  return {
    kernelName: 'Conv2D',
    backendName,
    kernelFunc: (args) => {
      const { x, filter } = args.inputs as { x: TensorInfo; filter: TensorInfo };
      const attrs = args.attrs as unknown as ConvForwardAttrs;
      if (attrs.dataFormat === 'NCHW' || x.dtype !== 'float32' || filter.dtype !== 'float32') {
        const steps = new Composition({ backend: args.backend, backendName });
        try {
          const nchw = attrs.dataFormat === 'NCHW';
          const xNhwc = nchw ? steps.run('Transpose', { x: steps.float(x) }, { perm: [0, 2, 3, 1] }) : steps.float(x);
          const pad = padForNhwc(attrs.pad, attrs.dataFormat);
          const y = steps.run('Conv2D', { x: xNhwc, filter: steps.float(filter) }, { ...args.attrs, pad, dataFormat: 'NHWC' }, !nchw);
          return nchw ? steps.run('Transpose', { x: y }, { perm: [0, 3, 1, 2] }, true) : y;
        } finally {
          steps.dispose();
        }
      }
      if (!ownsConvForward(x, filter, attrs)) return runStockKernel('Conv2D', args);
      return convForward(args.backend, x, filter, attrs, undefined, false);
    },
  };
}
