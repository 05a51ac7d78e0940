import * as tf from '@tensorflow/tfjs-core';
import { IMAGE_SIZE, NUM_CLASSES, PIXELS } from '../data/dataset.js';
import { normalizeImage } from '../data/normalize.js';
import type { Split } from '../data/preprocess.js';
import { UNIT_SCALE_BYTES, type UnitScaleBytesAttrs } from '../kernels/ops/unit_scale_bytes.js';

/** One batch as tensors: images shaped for the network and one-hot labels. */
export interface Batch {
  xs: tf.Tensor;
  ys: tf.Tensor2D;
}

/**
 * Makes a split's batches, normalising each batch's images into one float32 buffer reused from batch to
 * batch: the only float copy of the data is one batch's (1.6 MB at 128 images), whatever the set's size.
 * On this project's backend, uint8 images are gathered as bytes and converted by a kernel straight into the
 * batch tensor (`UNIT_SCALE_BYTES`, the same bits): on the FC net that took the training loop's time
 * outside its steps from 2.3 ms a batch to 0.4 (30,134 images, one run each).
 */
export class BatchMaker {
  private x: Float32Array | undefined;
  private bytes: Uint8Array | undefined;
  private readonly y: Float32Array;
  private last: Batch | undefined;

  /** Batches of `split` of at most `capacity` images, shaped for the CNN when `images` is set, else for the FC net. */
  constructor(
    private readonly split: Split,
    private readonly images: boolean,
    private readonly capacity: number,
  ) {
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
    const { split, y } = this;
    y.fill(0, 0, size * NUM_CLASSES);
    for (let i = 0; i < size; i++) y[i * NUM_CLASSES + split.labels[order[start + i]!]!] = 1;
    const shape = this.images ? [size, IMAGE_SIZE, IMAGE_SIZE, 1] : [size, PIXELS];
    this.last = {
      xs: this.imageTensor(order, start, size, shape),
      ys: tf.tensor2d(y.subarray(0, size * NUM_CLASSES), [size, NUM_CLASSES]),
    };
    return this.last;
  }

  /** The images of `order[start .. start+size)` as one float32 tensor of `shape`. */
  private imageTensor(order: Uint32Array, start: number, size: number, shape: number[]): tf.Tensor {
    const { pixels, rows } = this.split;
    if (pixels instanceof Uint8Array && tf.getKernel(UNIT_SCALE_BYTES, tf.getBackend()) !== undefined) {
      this.bytes ??= new Uint8Array(this.capacity * PIXELS);
      for (let i = 0; i < size; i++) {
        const from = rows[order[start + i]!]! * PIXELS;
        this.bytes.set(pixels.subarray(from, from + PIXELS), i * PIXELS);
      }
      const attrs: UnitScaleBytesAttrs = { bytes: this.bytes.subarray(0, size * PIXELS), shape };
      return tf.engine().runKernel(UNIT_SCALE_BYTES, {}, attrs) as tf.Tensor;
    }
    this.x ??= new Float32Array(this.capacity * PIXELS);
    for (let i = 0; i < size; i++) normalizeImage(pixels, rows[order[start + i]!]!, this.x, i * PIXELS);
    return tf.tensor(this.x.subarray(0, size * PIXELS), shape);
  }
}
