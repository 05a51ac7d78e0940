import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { NUM_CLASSES } from '../data/dataset.js';
import { inOrder, type Split } from '../data/preprocess.js';
import { BatchMaker } from '../train/batch.js';

/** What a model says about every image of a split. */
export interface Predictions {
  /** The most probable class of each image. */
  predicted: Uint8Array;
  /** Softmax output, `count * 36`, row-major. */
  probabilities: Float32Array;
}

/**
 * Runs the model over a whole split in inference mode (dropout off), `chunk` images at a time so memory
 * stays bounded, and frees every tensor it makes.
 */
export function predictSplit(model: tfl.LayersModel, split: Split, images: boolean, chunk = 512): Predictions {
  const probabilities = new Float32Array(split.count * NUM_CLASSES);
  const predicted = new Uint8Array(split.count);
  const order = inOrder(split.count);
  const batches = new BatchMaker(split, images, Math.min(chunk, split.count));
  for (let start = 0; start < split.count; start += chunk) {
    const size = Math.min(chunk, split.count - start);
    const probs = tf.tidy(() => model.predict(batches.make(order, start, size).xs) as tf.Tensor2D);
    try {
      probabilities.set(probs.dataSync(), start * NUM_CLASSES);
    } finally {
      probs.dispose();
    }
  }
  for (let i = 0; i < split.count; i++) predicted[i] = argMax(probabilities, i * NUM_CLASSES, NUM_CLASSES);
  return { predicted, probabilities };
}

function argMax(values: Float32Array, offset: number, length: number): number {
  let best = 0;
  for (let k = 1; k < length; k++) if (values[offset + k]! > values[offset + best]!) best = k;
  return best;
}
