// conv2d(x, filter) + bias, then ReLU or nothing, as one `FusedConv2D` kernel with a gradient registered
// for that kernel. tfjs's fused conv2d op differentiates through a custom gradient that computes every
// input's gradient eagerly, so a network's first convolution computed an input gradient nothing used
// (4.7 ms of a 230 ms CNN step); a registered gradient is lazy per input and the engine skips it. The
// ReLU variant lets training fuse a Conv2D layer with the Activation('relu') layer after it.
import * as tf from '@tensorflow/tfjs-core';
import { reluGrad } from '../kernels/ops/relu_grad.js';

const FUSED_CONV_2D = 'FusedConv2D';

/** The convolutions this op runs: NHWC, no dilation, and the activations it can fuse. */
export interface ConvBiasAttrs {
  strides: [number, number];
  pad: 'valid' | 'same';
  activation: 'linear' | 'relu';
}

/** activation(conv2d(x, filter, strides, pad) + bias) for NHWC x [n, h, w, c], filter [kh, kw, c, out], bias [out]. */
export function convBiasActivation(x: tf.Tensor4D, filter: tf.Tensor4D, bias: tf.Tensor1D, attrs: ConvBiasAttrs): tf.Tensor4D {
  const kernelAttrs = { ...attrs, dataFormat: 'NHWC', dilations: [1, 1] };
  return tf.engine().runKernel(FUSED_CONV_2D, { x, filter, bias }, kernelAttrs as unknown as tf.NamedAttrMap) as tf.Tensor4D;
}

/**
 * The gradient of `FusedConv2D` as `convBiasActivation` runs it; only a direct kernel call while
 * recording reaches it (tfjs's fused conv2d op hides its kernel call inside its custom gradient).
 */
function registerConvBiasActivationGradient(): void {
  tf.registerGradient({
    kernelName: FUSED_CONV_2D,
    inputsToSave: ['x', 'filter'],
    outputsToSave: [true],
    gradFunc: (dy, saved, attrs) => {
      const { strides, pad, dataFormat, dilations, activation } = attrs as unknown as ConvBiasAttrs & { dataFormat: string; dilations: number[] | number };
      const dilated = Array.isArray(dilations) ? dilations.some((d) => d !== 1) : dilations !== 1;
      if (dataFormat !== 'NHWC' || dilated || (activation !== 'linear' && activation !== 'relu')) {
        throw new Error(`no gradient for ${FUSED_CONV_2D} with dataFormat=${dataFormat}, dilations=${String(dilations)}, activation=${activation}`);
      }
      const [x, filter, y] = saved as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D];
      // Made here, not in a thunk: each thunk runs in a tidy of its own that would dispose it.
      const dz = activation === 'relu' ? reluGrad(dy as tf.Tensor4D, y) : (dy as tf.Tensor4D);
      const convAttrs = { strides, pad, dataFormat: 'NHWC' } as const;
      return {
        x: () =>
          tf.engine().runKernel('Conv2DBackpropInput', { dy: dz, filter }, { ...convAttrs, inputShape: x.shape } as unknown as tf.NamedAttrMap) as tf.Tensor,
        filter: () =>
          tf.engine().runKernel('Conv2DBackpropFilter', { x, dy: dz }, { ...convAttrs, filterShape: filter.shape } as unknown as tf.NamedAttrMap) as tf.Tensor,
        bias: () => tf.sum(dz, [0, 1, 2]),
      };
    },
  });
}

// Gradients are global to tfjs; registered on import, so every backend that runs this op can train it.
registerConvBiasActivationGradient();
