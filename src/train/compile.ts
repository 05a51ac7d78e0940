import type * as tfl from '@tensorflow/tfjs-layers';
import { rmsprop } from './rmsprop.js';

/** Compiles a network as the notebook does (RMSprop, categorical cross-entropy, accuracy), for training and benchmarks alike. */
export function compileForTraining(model: tfl.LayersModel, learningRate: number): void {
  model.compile({ optimizer: rmsprop(learningRate), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
}
