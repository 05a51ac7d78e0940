import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { IMAGE_SIZE, NUM_CLASSES, PIXELS } from '../../src/data/dataset.js';
import { type Split, splitOf } from '../../src/data/preprocess.js';

/**
 * A softmax layer that reads pixel c as evidence for class c: an image lighting pixel c is predicted as c
 * with a probability set by `gain`. With `images`, it takes NHWC 56x56x1 input through a Flatten, as the CNN does.
 */
export function pixelVoteModel(images: boolean, gain = 8): tfl.Sequential {
  const model = tfl.sequential();
  if (images) model.add(tfl.layers.flatten({ inputShape: [IMAGE_SIZE, IMAGE_SIZE, 1] }));
  model.add(tfl.layers.dense({ units: NUM_CLASSES, activation: 'softmax', ...(images ? {} : { inputShape: [PIXELS] }) }));
  const kernel = new Float32Array(PIXELS * NUM_CLASSES);
  for (let c = 0; c < NUM_CLASSES; c++) kernel[c * NUM_CLASSES + c] = gain;
  const dense = model.layers.at(-1)!;
  dense.setWeights([tf.tensor2d(kernel, [PIXELS, NUM_CLASSES]), tf.zeros([NUM_CLASSES])]);
  return model;
}

/** A split where image i is labelled `labels[i]` and lights pixel `lit[i]` (plus faint noise elsewhere, never all zero). */
export function litSplit(labels: number[], lit: number[]): Split {
  const x = new Float32Array(labels.length * PIXELS);
  for (let i = 0; i < labels.length; i++) {
    for (let p = NUM_CLASSES; p < PIXELS; p += 7) x[i * PIXELS + p] = ((i + p) % 5) / 10;
    x[i * PIXELS + lit[i]!] = 1;
  }
  return splitOf({ pixels: x, labels: Uint8Array.from(labels) });
}
