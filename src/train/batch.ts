import * as tf from '@tensorflow/tfjs-core';
import { IMAGE_SIZE, NUM_CLASSES, PIXELS } from '../data/dataset.js';
import type { Split } from '../data/preprocess.js';

/** One batch as tensors: images shaped for the network and one-hot labels. */
export interface Batch {
  xs: tf.Tensor;
  ys: tf.Tensor2D;
}

/**
 * Builds the tensors for `order[start .. start+size)` of a split: [size, 3136] for the FC net or NHWC
 * [size, 56, 56, 1] for the CNN (the same bytes), with one-hot labels over the 36 classes.
 */
export function makeBatch(split: Split, order: Uint32Array, start: number, size: number, images: boolean): Batch {
  const x = new Float32Array(size * PIXELS);
  const y = new Float32Array(size * NUM_CLASSES);
  for (let i = 0; i < size; i++) {
    const row = order[start + i]!;
    x.set(split.x.subarray(row * PIXELS, (row + 1) * PIXELS), i * PIXELS);
    y[i * NUM_CLASSES + split.labels[row]!] = 1;
  }
  const shape = images ? [size, IMAGE_SIZE, IMAGE_SIZE, 1] : [size, PIXELS];
  return { xs: tf.tensor(x, shape), ys: tf.tensor2d(y, [size, NUM_CLASSES]) };
}

/** The identity order, for walking a split front to back. */
export function inOrder(count: number): Uint32Array {
  const order = new Uint32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  return order;
}
