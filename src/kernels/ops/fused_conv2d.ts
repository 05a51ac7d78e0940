import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import { applyActivation, type FusedActivation } from '../call/activation.js';
import { Composition } from '../call/compose.js';
import { runStockKernel } from '../call/stock_kernel.js';
import { type ConvForwardAttrs, convForward, ownsConvForward } from '../conv/forward.js';

/** Attributes FusedConv2D adds to Conv2D's. */
interface FusedAttrs extends ConvForwardAttrs {
  activation?: string;
  leakyreluAlpha?: number;
}

/** Activations the stock kernel applies itself, besides linear and ReLU (prelu's weights it repeats rather than broadcasts). */
const STOCK_ACTIVATIONS = new Set(['linear', 'relu', 'relu6', 'leakyrelu', 'sigmoid', 'elu']);

/**
 * Conv2D + bias + ReLU in one pass (tfjs-layers' Conv2D layer dispatches FusedConv2D with its bias and
 * a linear activation). Other NHWC float32 cases with a bias of one value per channel run the stock
 * kernel; the rest (NCHW, other bias shapes, prelu, other dtypes) are composed on this backend as tfjs's
 * CPU backend composes them: Conv2D, a broadcasting Add of the bias, then the activation's own kernel.
 */
export function fusedConv2DConfig(backendName: string): KernelConfig {
  return {
    kernelName: 'FusedConv2D',
    backendName,
    kernelFunc: (args) => {
      const { x, filter } = args.inputs as { x: TensorInfo; filter: TensorInfo };
      // tfjs passes a missing bias as null or undefined.
      const { bias, preluActivationWeights } = args.inputs as { bias?: TensorInfo | null; preluActivationWeights?: TensorInfo | null };
      const attrs = args.attrs as unknown as FusedAttrs;
      const outChannels = filter.shape[3];
      const channelBias = bias == null || (bias.shape.length === 1 && bias.shape[0] === outChannels && bias.dtype === 'float32');
      const activation = attrs.activation ?? 'linear';
      const nhwcFloat = attrs.dataFormat === 'NHWC' && x.dtype === 'float32' && filter.dtype === 'float32';
      if (ownsConvForward(x, filter, attrs) && channelBias && (activation === 'linear' || activation === 'relu')) {
        return convForward(args.backend, x, filter, attrs, bias ?? undefined, activation === 'relu');
      }
      if (nhwcFloat && channelBias && STOCK_ACTIVATIONS.has(activation)) return runStockKernel('FusedConv2D', args);
      const steps = new Composition({ backend: args.backend, backendName });
      try {
        const { strides, pad, dataFormat, dilations, dimRoundingMode } = attrs;
        const conv = steps.run('Conv2D', { x, filter }, { strides, pad, dataFormat, dilations, ...(dimRoundingMode === undefined ? {} : { dimRoundingMode }) });
        // As the CPU backend: in NCHW a vector of several values is per channel, so it becomes [C, 1, 1].
        const perChannel = (t: TensorInfo): TensorInfo =>
          dataFormat === 'NCHW' && t.shape.length === 1 && t.shape[0] !== 1 ? steps.run('Reshape', { x: t }, { shape: [t.shape[0]!, 1, 1] }) : t;
        const biased = bias == null ? conv : steps.run('Add', { a: conv, b: perChannel(bias) });
        const fused: FusedActivation = { activation, leakyreluAlpha: attrs.leakyreluAlpha };
        if (preluActivationWeights != null) fused.preluActivationWeights = perChannel(preluActivationWeights);
        return applyActivation(steps, biased, fused);
      } finally {
        steps.dispose();
      }
    },
  };
}
