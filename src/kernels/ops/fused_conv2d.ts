import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import { runStockKernel } from '../call/stock_kernel.js';
import { type ConvForwardAttrs, convForward, ownsConvForward } from '../conv/forward.js';

/** Attributes FusedConv2D adds to Conv2D's. */
interface FusedAttrs extends ConvForwardAttrs {
  activation: string;
}

/**
 * Conv2D + bias + ReLU in one pass (tfjs-layers' Conv2D layer dispatches FusedConv2D with its bias and
 * a linear activation). Other activations, and bias shapes other than [outChannels], run the stock kernel.
 */
export function fusedConv2DConfig(backendName: string): KernelConfig {
  return {
    kernelName: 'FusedConv2D',
    backendName,
    kernelFunc: (args) => {
      const { x, filter } = args.inputs as { x: TensorInfo; filter: TensorInfo };
      // tfjs passes a missing bias as null or undefined.
      const bias = (args.inputs as { bias?: TensorInfo | null }).bias ?? undefined;
      const attrs = args.attrs as unknown as FusedAttrs;
      const outChannels = filter.shape[3];
      const plainBias = bias === undefined || (bias.shape.length === 1 && bias.shape[0] === outChannels && bias.dtype === 'float32');
      const activation = attrs.activation ?? 'linear';
      if (!ownsConvForward(x, filter, attrs) || !plainBias || (activation !== 'linear' && activation !== 'relu')) {
        return runStockKernel('FusedConv2D', args);
      }
      return convForward(args.backend, x, filter, attrs, bias, activation === 'relu');
    },
  };
}
