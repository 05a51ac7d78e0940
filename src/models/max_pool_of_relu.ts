// Max pooling of a ReLU's output while training, with the ReLU's gradient folded into the pooling's. A
// Conv2D + ReLU followed by MaxPooling2D otherwise differentiates as MaxPoolGrad (writing a gradient as
// large as the convolution's output, zero outside each window's maximum) and then the ReLU mask over it
// again; here one kernel routes dy to each window's maximum and masks the rows it wrote while they are in
// cache (MAX_POOL_RELU_GRAD), and the convolution before it takes what arrives as its pre-activation
// gradient (conv_bias_activation.ts, `reluGradFromConsumer`). The forward pass is the backend's own
// MaxPool kernel, recorded under a private name (private_kernel.ts).
import * as tf from '@tensorflow/tfjs-core';
import { MAX_POOL_RELU_GRAD } from '../kernels/ops/max_pool_grad.js';
import { reluGrad } from '../kernels/ops/relu_grad.js';
import { type PrivateKernel, privateKernelOnCurrentBackend } from './private_kernel.js';

/** tfjs's MaxPool attributes, as tf.maxPool passes them to the kernel. */
export interface MaxPoolAttrs {
  filterSize: [number, number];
  strides: [number, number];
  pad: 'valid' | 'same';
}

const MAX_POOL_OF_RELU: PrivateKernel = {
  name: 'AlnumMaxPoolOfRelu',
  runs: 'MaxPool',
  gradient: {
    inputsToSave: ['x'],
    outputsToSave: [true],
    gradFunc: (dy, saved, attrs) => {
      const [x, y] = saved as [tf.Tensor4D, tf.Tensor4D];
      return { x: () => maxPoolReluGrad(dy as tf.Tensor4D, x, y, attrs) };
    },
  },
};

/**
 * d maxpool(relu(z)) / dz from dy, the pooling's input x = relu(z) and its output y: our fused kernel where
 * the backend has it, else MaxPoolGrad then ReLU's gradient; the same values either way.
 */
export function maxPoolReluGrad(dy: tf.Tensor4D, x: tf.Tensor4D, y: tf.Tensor4D, attrs: tf.NamedAttrMap): tf.Tensor4D {
  const inputs = { dy, input: x, output: y };
  if (tf.getKernel(MAX_POOL_RELU_GRAD, tf.getBackend()) !== undefined) return tf.engine().runKernel(MAX_POOL_RELU_GRAD, inputs, attrs) as tf.Tensor4D;
  return reluGrad(tf.engine().runKernel('MaxPoolGrad', inputs, attrs) as tf.Tensor4D, x);
}

/** Whether `maxPoolOfRelu` can run on the current backend (every backend with MaxPool). */
export function maxPoolOfReluRuns(): boolean {
  return privateKernelOnCurrentBackend(MAX_POOL_OF_RELU);
}

/**
 * maxpool(x) for x = relu(z) of NHWC shape, recorded so that its gradient is with respect to z. Only for a
 * ReLU output whose one consumer is this pooling, from a convolution that does not mask again
 * (`reluGradFromConsumer`); training_forward.ts pairs the two.
 */
export function maxPoolOfRelu(x: tf.Tensor4D, attrs: MaxPoolAttrs): tf.Tensor4D {
  if (!maxPoolOfReluRuns()) throw new Error(`the ${tf.getBackend()} backend has no ${MAX_POOL_OF_RELU.runs} kernel`);
  const kernelAttrs = { ...attrs, dimRoundingMode: undefined };
  return tf.engine().runKernel(MAX_POOL_OF_RELU.name, { x }, kernelAttrs as unknown as tf.NamedAttrMap) as tf.Tensor4D;
}
