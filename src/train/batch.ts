import * as tf from '@tensorflow/tfjs-core';
import { IMAGE_SIZE, NUM_CLASSES, PIXELS } from '../data/dataset.js';
import { normalizeImage } from '../data/normalize.js';
import type { Split } from '../data/preprocess.js';

/** One batch as tensors: images shaped for the network and one-hot labels. */
export interface Batch {
  xs: tf.Tensor;
  ys: tf.Tensor2D;
}

/**
 * Makes a split's batches, normalising each batch's images into one float32 buffer reused from batch to
 * batch: the only float copy of the data is one batch's (1.6 MB at 128 images), whatever the set's size.
 */
export class BatchMaker {
  private readonly x: Float32Array;
  private readonly y: Float32Array;
  private last: Batch | undefined;

  /** Batches of `split` of at most `capacity` images, shaped for the CNN when `images` is set, else for the FC net. */
  constructor(
    private readonly split: Split,
    private readonly images: boolean,
    private readonly capacity: number,
  ) {
    this.x = new Float32Array(capacity * PIXELS);
    this.y = new Float32Array(capacity * NUM_CLASSES);
  }

  /**
   * Builds the tensors for the split's images `order[start .. start+size)` (positions in the split): [size,
   * 3136] for the FC net or NHWC [size, 56, 56, 1] for the CNN (the same bytes), with one-hot labels over the
   * 36 classes. The previous batch's tensors must be disposed first.
   */
  make(order: Uint32Array, start: number, size: number): Batch {
    if (size > this.capacity) throw new RangeError(`a batch of ${size} images does not fit a BatchMaker of ${this.capacity}`);
    // tfjs's CPU backend keeps the very array a tensor is made from, so refilling the buffer under a live
    // tensor would change it: refuse rather than corrupt it silently.
    if (this.last !== undefined && !(this.last.xs.isDisposed && this.last.ys.isDisposed)) {
      throw new Error("a BatchMaker's previous batch is still in use; dispose its tensors before making the next");
    }
    const { split, x, y } = this;
    y.fill(0, 0, size * NUM_CLASSES);
    for (let i = 0; i < size; i++) {
      const position = order[start + i]!;
      normalizeImage(split.pixels, split.rows[position]!, x, i * PIXELS);
      y[i * NUM_CLASSES + split.labels[position]!] = 1;
    }
    const shape = this.images ? [size, IMAGE_SIZE, IMAGE_SIZE, 1] : [size, PIXELS];
    this.last = {
      xs: tf.tensor(x.subarray(0, size * PIXELS), shape),
      ys: tf.tensor2d(y.subarray(0, size * NUM_CLASSES), [size, NUM_CLASSES]),
    };
    return this.last;
  }
}
