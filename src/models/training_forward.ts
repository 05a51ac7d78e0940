// A Sequential network's forward pass while training, layer by layer, with one fusion the layers cannot
// make on their own: a linear Conv2D followed by Activation('relu') runs as one convolution kernel with
// the ReLU in its epilogue (the notebook writes the CNN's activations as layers of their own). It saves
// a pass over each activation forward and one backward. Evaluation and prediction run the layers as
// they are; the numbers are the same.
import type * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { FusedConv2D } from './fused_conv2d.js';

/** The layers' output for `input` with dropout on, recorded for gradients like `layer.apply` would be. */
export function forwardForTraining(layers: readonly tfl.layers.Layer[], input: tf.Tensor): tf.Tensor {
  let y = input;
  for (let i = 0; i < layers.length; i++) {
    const layer = layers[i]!;
    const next = layers[i + 1];
    if (layer instanceof FusedConv2D && next !== undefined && isRelu(next) && isLinear(layer) && layer.fusable(y)) {
      y = layer.applyWithRelu(y as tf.Tensor4D);
      i++;
      continue;
    }
    y = layer.apply(y, { training: true }) as tf.Tensor;
  }
  return y;
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
