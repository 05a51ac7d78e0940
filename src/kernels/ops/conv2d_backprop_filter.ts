import { backend_util, type Conv2DBackpropFilterAttrs, type KernelConfig, type TensorInfo } from '@tensorflow/tfjs-core';
import { kernelContext } from '../call/context.js';
import { runFilterGrad } from '../conv/filter_grad.js';

/**
 * The filter gradient the stock WASM backend lacks (NHWC x and dy, HWIO dW): Winograd F(3x3, 2x2) for
 * 3x3 stride-1 layers, patchesᵀ · dy on every thread for the others (conv/filter_grad.ts).
 */
export function conv2dBackpropFilterConfig(backendName: string): KernelConfig {
  return {
    kernelName: 'Conv2DBackpropFilter',
    backendName,
    kernelFunc: ({ inputs, attrs, backend }) => {
      const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
      const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as Conv2DBackpropFilterAttrs;
      if (dataFormat !== 'NHWC') throw new Error(`Conv2DBackpropFilter supports NHWC only, not ${dataFormat}`);
      const ctx = kernelContext(backend);
      const info = backend_util.computeConv2DInfo(
        x.shape as [number, number, number, number],
        filterShape,
        strides,
        1,
        pad,
        dimRoundingMode,
        false,
        'channelsLast',
      );
      const out = ctx.backend.makeOutput(filterShape, 'float32');
      runFilterGrad(ctx, x, dy, info, out);
      return out;
    },
  };
}
