// conv2d(x, filter) + bias, then ReLU or nothing, as one kernel while training. tfjs's fused conv2d op
// differentiates through a custom gradient that computes every input's gradient eagerly, so a network's
// first convolution computed an input gradient nothing used (4.7 ms of a 230 ms CNN step). Here the
// forward pass is the `FusedConv2D` kernel every backend has, recorded under a private name
// (private_kernel.ts) whose gradient is lazy per input, so the engine skips it. The ReLU variant lets
// training fuse a Conv2D layer with the Activation('relu') layer after it.
import * as tf from '@tensorflow/tfjs-core';
import { reluGradAndBiasSum } from '../kernels/ops/relu_grad_bias_sum.js';
import { type PrivateKernel, privateKernelOnCurrentBackend } from './private_kernel.js';

/** The convolutions this op runs: NHWC, no dilation, and the activations it can fuse. */
export interface ConvBiasAttrs {
  strides: [number, number];
  pad: 'valid' | 'same';
  activation: 'linear' | 'relu';
  /**
   * With ReLU: the output's one consumer (maxPoolOfRelu) already applies ReLU's gradient, so what arrives
   * is the pre-activation gradient and is not masked again.
   */
  reluGradFromConsumer?: boolean;
}

const CONV_BIAS_ACTIVATION: PrivateKernel = {
  name: 'AlnumConvBiasActivation',
  runs: 'FusedConv2D',
  gradient: {
    inputsToSave: ['x', 'filter'],
    outputsToSave: [true],
    gradFunc: (dy, saved, attrs) => {
      const { strides, pad, activation, reluGradFromConsumer } = attrs as unknown as ConvBiasAttrs;
      const [x, filter, y] = saved as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D];
      // Made here, not in a thunk: each thunk runs in a tidy of its own that would dispose it. With ReLU,
      // the bias gradient comes out of the same pass over dy and y.
      const [dz, db] = activation === 'relu' && reluGradFromConsumer !== true ? reluGradAndBiasSum(dy as tf.Tensor4D, y) : [dy as tf.Tensor4D, undefined];
      const convAttrs = { strides, pad, dataFormat: 'NHWC' } as const;
      return {
        x: () =>
          tf.engine().runKernel('Conv2DBackpropInput', { dy: dz, filter }, { ...convAttrs, inputShape: x.shape } as unknown as tf.NamedAttrMap) as tf.Tensor,
        filter: () =>
          tf.engine().runKernel('Conv2DBackpropFilter', { x, dy: dz }, { ...convAttrs, filterShape: filter.shape } as unknown as tf.NamedAttrMap) as tf.Tensor,
        bias: () => db ?? tf.sum(dz, [0, 1, 2]),
      };
    },
  },
};

/** Whether `convBiasActivation` can run on the current backend (every backend with `FusedConv2D`). */
export function convBiasActivationRuns(): boolean {
  return privateKernelOnCurrentBackend(CONV_BIAS_ACTIVATION);
}

/** activation(conv2d(x, filter, strides, pad) + bias) for NHWC x [n, h, w, c], filter [kh, kw, c, out], bias [out]. */
export function convBiasActivation(x: tf.Tensor4D, filter: tf.Tensor4D, bias: tf.Tensor1D, attrs: ConvBiasAttrs): tf.Tensor4D {
  if (!convBiasActivationRuns()) throw new Error(`the ${tf.getBackend()} backend has no ${CONV_BIAS_ACTIVATION.runs} kernel`);
  const kernelAttrs = { ...attrs, dataFormat: 'NHWC', dilations: [1, 1] };
  return tf.engine().runKernel(CONV_BIAS_ACTIVATION.name, { x, filter, bias }, kernelAttrs as unknown as tf.NamedAttrMap) as tf.Tensor4D;
}
