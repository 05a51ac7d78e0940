import * as tfl from '@tensorflow/tfjs-layers';
import { IMAGE_SIZE, NUM_CLASSES } from '../data/dataset.js';
import { dropoutFrom } from './dropout.js';
import { conv2d } from './fused_conv2d.js';
import { dense } from './fused_dense.js';
import { initializerFrom } from './initializer.js';
import { KERAS_SEQUENTIAL_NAME, kerasLayerNames } from './layer_names.js';

/** Builds the notebook's CNN: four valid 3x3 convolutions, three max-pools, Dense 500; 691,688 parameters. */
export function buildCnn(seed?: number): tfl.Sequential {
  const init = initializerFrom(seed);
  const dropout = dropoutFrom(seed);
  const name = kerasLayerNames();
  const model = tfl.sequential({ name: KERAS_SEQUENTIAL_NAME });
  model.add(dropout({ name: name('dropout'), rate: 0.2, inputShape: [IMAGE_SIZE, IMAGE_SIZE, 1] }));
  model.add(conv2d({ name: name('conv2d'), filters: 16, kernelSize: 3, kernelInitializer: init() }));
  model.add(tfl.layers.activation({ name: name('activation'), activation: 'relu' }));
  model.add(conv2d({ name: name('conv2d'), filters: 32, kernelSize: 3, kernelInitializer: init() }));
  model.add(tfl.layers.activation({ name: name('activation'), activation: 'relu' }));
  model.add(tfl.layers.maxPooling2d({ name: name('max_pooling2d'), poolSize: 2 }));
  model.add(dropout({ name: name('dropout'), rate: 0.5 }));
  model.add(conv2d({ name: name('conv2d'), filters: 64, kernelSize: 3, kernelInitializer: init() }));
  model.add(tfl.layers.activation({ name: name('activation'), activation: 'relu' }));
  model.add(tfl.layers.maxPooling2d({ name: name('max_pooling2d'), poolSize: 2 }));
  model.add(dropout({ name: name('dropout'), rate: 0.5 }));
  model.add(conv2d({ name: name('conv2d'), filters: 128, kernelSize: 3, kernelInitializer: init() }));
  model.add(tfl.layers.activation({ name: name('activation'), activation: 'relu' }));
  model.add(tfl.layers.maxPooling2d({ name: name('max_pooling2d'), poolSize: 3 }));
  model.add(tfl.layers.flatten({ name: name('flatten') }));
  model.add(dense({ name: name('dense'), units: 500, activation: 'relu', kernelInitializer: init() }));
  model.add(dropout({ name: name('dropout'), rate: 0.5 }));
  model.add(dense({ name: name('dense'), units: NUM_CLASSES, activation: 'softmax', kernelInitializer: init() }));
  return model;
}
