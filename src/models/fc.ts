import * as tfl from '@tensorflow/tfjs-layers';
import { NUM_CLASSES, PIXELS } from '../data/dataset.js';
import { dropoutFrom } from './dropout.js';
import { dense } from './fused_dense.js';
import { initializerFrom } from './initializer.js';
import { KERAS_SEQUENTIAL_NAME, kerasLayerNames } from './layer_names.js';

/** Builds the notebook's fully connected net: 3136 -> 700 -> 700 -> 500 -> 500 -> 36, 3,305,636 parameters. */
export function buildFc(seed?: number): tfl.Sequential {
  const init = initializerFrom(seed);
  const dropout = dropoutFrom(seed);
  const name = kerasLayerNames();
  const model = tfl.sequential({ name: KERAS_SEQUENTIAL_NAME });
  model.add(dropout({ name: name('dropout'), rate: 0.2, inputShape: [PIXELS] }));
  model.add(dense({ name: name('dense'), units: 700, activation: 'relu', kernelInitializer: init() }));
  model.add(dropout({ name: name('dropout'), rate: 0.5 }));
  model.add(dense({ name: name('dense'), units: 700, activation: 'relu', kernelInitializer: init() }));
  model.add(dropout({ name: name('dropout'), rate: 0.5 }));
  model.add(dense({ name: name('dense'), units: 500, activation: 'relu', kernelInitializer: init() }));
  model.add(dropout({ name: name('dropout'), rate: 0.5 }));
  model.add(dense({ name: name('dense'), units: 500, activation: 'relu', kernelInitializer: init() }));
  model.add(dense({ name: name('dense'), units: NUM_CLASSES, activation: 'softmax', kernelInitializer: init() }));
  return model;
}
