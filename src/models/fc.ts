import * as tfl from '@tensorflow/tfjs-layers';
import { dropoutFrom } from './dropout.js';
import { initializerFrom } from './initializer.js';
import { NUM_CLASSES, PIXELS } from '../data/dataset.js';

/** Builds the notebook's fully connected net: 3136 -> 700 -> 700 -> 500 -> 500 -> 36, 3,305,636 parameters. */
export function buildFc(seed?: number): tfl.Sequential {
  const init = initializerFrom(seed);
  const dropout = dropoutFrom(seed);
  const model = tfl.sequential({ name: 'fc' });
  model.add(dropout({ rate: 0.2, inputShape: [PIXELS] }));
  model.add(tfl.layers.dense({ units: 700, activation: 'relu', kernelInitializer: init() }));
  model.add(dropout({ rate: 0.5 }));
  model.add(tfl.layers.dense({ units: 700, activation: 'relu', kernelInitializer: init() }));
  model.add(dropout({ rate: 0.5 }));
  model.add(tfl.layers.dense({ units: 500, activation: 'relu', kernelInitializer: init() }));
  model.add(dropout({ rate: 0.5 }));
  model.add(tfl.layers.dense({ units: 500, activation: 'relu', kernelInitializer: init() }));
  model.add(tfl.layers.dense({ units: NUM_CLASSES, activation: 'softmax', kernelInitializer: init() }));
  return model;
}
