// Three networks beside the notebook's two, built from stock tfjs-layers layers only, so that training them
// exercises the kernels a plain `model.fit` reaches (not src/models/'s fused layers): the library's promise is
// that any tfjs program trains on our backend, and these are the shapes of program the issue names.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { IMAGE_SIZE, NUM_CLASSES, PIXELS } from '../../../src/data/dataset.js';

/** The zoo's networks: LeNet-style (tanh, average pooling), VGG-style (stride-2 convolutions, batch norm, Adam), an MLP (ELU, sigmoid, momentum). */
export const ZOO_MODEL_NAMES = ['lenet', 'vgg', 'mlp'] as const;
/** One of the zoo's networks. */
export type ZooModelName = (typeof ZOO_MODEL_NAMES)[number];

/** Whether `name` is one of the zoo's networks. */
export function isZooModel(name: string): name is ZooModelName {
  return (ZOO_MODEL_NAMES as readonly string[]).includes(name);
}

/** Input shape of one sample: a 56x56x1 image, or the MLP's 3136 flat pixels. */
export function zooSampleShape(name: ZooModelName): number[] {
  return name === 'mlp' ? [PIXELS] : [IMAGE_SIZE, IMAGE_SIZE, 1];
}

/**
 * Builds and compiles the named network with categorical cross-entropy and its own optimizer; a seed gives every
 * kernel initializer its own seed derived from it, so two builds with one seed start from the same weights.
 */
export function buildZooModel(name: ZooModelName, seed: number): tfl.Sequential {
  let layer = 0;
  // Each layer its own seed: one shared seed would start every same-shaped kernel identical.
  const init: Init = () => tfl.initializers.glorotUniform({ seed: seed * 100 + layer++ });
  const model = name === 'lenet' ? lenet(init) : name === 'vgg' ? vgg(init) : mlp(init);
  model.compile({ optimizer: optimizerOf(name), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

function optimizerOf(name: ZooModelName): tf.Optimizer {
  if (name === 'vgg') return tf.train.adam(0.001);
  if (name === 'mlp') return tf.train.momentum(0.01, 0.9);
  return tf.train.sgd(0.05);
}

type Init = () => ReturnType<typeof tfl.initializers.glorotUniform>;

/** LeNet-5's layout at 56x56: 5x5 'same' convolutions with tanh, 2x2 average pooling, Dense 120 and 84; 392,236 parameters. */
function lenet(init: Init): tfl.Sequential {
  const conv = (filters: number, inputShape?: number[]) =>
    tfl.layers.conv2d({ filters, kernelSize: 5, padding: 'same', activation: 'tanh', kernelInitializer: init(), ...(inputShape && { inputShape }) });
  return tfl.sequential({
    layers: [
      conv(6, [IMAGE_SIZE, IMAGE_SIZE, 1]),
      tfl.layers.averagePooling2d({ poolSize: 2 }),
      conv(16),
      tfl.layers.averagePooling2d({ poolSize: 2 }),
      tfl.layers.flatten(),
      tfl.layers.dense({ units: 120, activation: 'tanh', kernelInitializer: init() }),
      tfl.layers.dense({ units: 84, activation: 'tanh', kernelInitializer: init() }),
      tfl.layers.dense({ units: NUM_CLASSES, activation: 'softmax', kernelInitializer: init() }),
    ],
  });
}

/**
 * Three VGG-style blocks (16, 32, 64 filters), each a 3x3 convolution and a 3x3 stride-2 one, every convolution
 * followed by batch normalization and ReLU, so 56 -> 28 -> 14 -> 7; then Dense 128; 478,644 parameters (896 of them batch-norm statistics and scales).
 */
function vgg(init: Init): tfl.Sequential {
  const layers: tfl.layers.Layer[] = [];
  for (const [block, filters] of [16, 32, 64].entries()) {
    for (const strides of [1, 2]) {
      const first = block === 0 && strides === 1;
      // No bias: the batch normalization's beta right after it does the same job.
      layers.push(
        tfl.layers.conv2d({
          filters,
          kernelSize: 3,
          strides,
          padding: 'same',
          useBias: false,
          kernelInitializer: init(),
          ...(first && { inputShape: [IMAGE_SIZE, IMAGE_SIZE, 1] }),
        }),
        tfl.layers.batchNormalization(),
        tfl.layers.reLU(),
      );
    }
  }
  layers.push(
    tfl.layers.flatten(),
    tfl.layers.dense({ units: 128, activation: 'relu', kernelInitializer: init() }),
    tfl.layers.dense({ units: NUM_CLASSES, activation: 'softmax', kernelInitializer: init() }),
  );
  return tfl.sequential({ layers });
}

/** An MLP on flat pixels: Dense 512 and 256 with ELU, Dense 128 with sigmoid; 1,775,012 parameters. */
function mlp(init: Init): tfl.Sequential {
  return tfl.sequential({
    layers: [
      tfl.layers.dense({ inputShape: [PIXELS], units: 512, activation: 'elu', kernelInitializer: init() }),
      tfl.layers.dense({ units: 256, activation: 'elu', kernelInitializer: init() }),
      tfl.layers.dense({ units: 128, activation: 'sigmoid', kernelInitializer: init() }),
      tfl.layers.dense({ units: NUM_CLASSES, activation: 'softmax', kernelInitializer: init() }),
    ],
  });
}
