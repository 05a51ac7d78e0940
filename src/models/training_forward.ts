// A Sequential network's forward pass while training, layer by layer, with fusions the layers cannot
// make on their own: a linear Conv2D followed by Activation('relu') runs as one convolution kernel with
// the ReLU in its epilogue (the notebook writes the CNN's activations as layers of their own), which saves
// a pass over each activation forward and one backward; and when a MaxPooling2D follows, the ReLU's
// gradient is taken inside the pooling's (max_pool_of_relu.ts), which saves two more passes backward.
// Evaluation and prediction run the layers as they are; the numbers are the same.
import type * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { FusedConv2D } from './fused_conv2d.js';
import { type MaxPoolAttrs, maxPoolOfRelu, maxPoolOfReluRuns } from './max_pool_of_relu.js';

/** The layers' output for `input` with dropout on, recorded for gradients like `layer.apply` would be. */
export function forwardForTraining(layers: readonly tfl.layers.Layer[], input: tf.Tensor): tf.Tensor {
  let y = input;
  for (let i = 0; i < layers.length; i++) {
    const layer = layers[i]!;
    const next = layers[i + 1];
    if (layer instanceof FusedConv2D && next !== undefined && isRelu(next) && isLinear(layer) && layer.fusable(y)) {
      const pool = poolAfter(layers[i + 2]);
      if (pool !== undefined) {
        y = maxPoolOfRelu(layer.applyWithRelu(y as tf.Tensor4D, true), pool);
        i += 2;
        continue;
      }
      y = layer.applyWithRelu(y as tf.Tensor4D);
      i++;
      continue;
    }
    y = layer.apply(y, { training: true }) as tf.Tensor;
  }
  return y;
}

/** tfjs-layers' MaxPooling2D (not exported by name): what its call passes to tf.maxPool. */
interface MaxPoolingInternals {
  poolSize: [number, number];
  strides: [number, number];
  padding: string;
  dataFormat: string;
}

/** The pooling `layer` does, when it is a channels-last MaxPooling2D that maxPoolOfRelu can run. */
function poolAfter(layer: tfl.layers.Layer | undefined): MaxPoolAttrs | undefined {
  if (layer === undefined || layer.getClassName() !== 'MaxPooling2D' || !maxPoolOfReluRuns()) return undefined;
  const { poolSize, strides, padding, dataFormat } = layer as unknown as MaxPoolingInternals;
  if (dataFormat !== 'channelsLast' || (padding !== 'valid' && padding !== 'same')) return undefined;
  return { filterSize: [poolSize[0], poolSize[1]], strides: [strides[0], strides[1]], pad: padding };
}

function isRelu(layer: tfl.layers.Layer): boolean {
  return layer.getClassName() === 'Activation' && activationOf(layer) === 'relu';
}

function isLinear(layer: tfl.layers.Layer): boolean {
  return activationOf(layer) === 'linear';
}

function activationOf(layer: tfl.layers.Layer): string | undefined {
  return (layer as unknown as { activation?: { getClassName(): string } }).activation?.getClassName();
}
