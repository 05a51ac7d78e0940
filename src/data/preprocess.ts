import { seededPermutation } from '../util/random.js';
import { UserError } from '../util/user_error.js';
import type { RawDataset } from './dataset.js';

/**
 * One half of a data set, kept as indices into the whole set's pixels rather than as a copy of them: the
 * images stay as loaded (one byte a pixel for uint8 data) and are normalised a batch at a time
 * (`src/data/normalize.ts`), so no float32 copy of the set is ever made.
 */
export interface Split {
  /** Every image of the data set, shared by both splits and never written: uint8 0..255, or float32 in [0, 1]. */
  pixels: Uint8Array | Float32Array;
  /** Which images of `pixels` this split holds, in split order. */
  rows: Uint32Array;
  /** The class of each of this split's images, in split order. */
  labels: Uint8Array;
  count: number;
}

/** The training and test halves of a data set, and how fast they were made. */
export interface Prepared {
  train: Split;
  test: Split;
  seconds: number;
  /** Images split per second. */
  imagesPerSecond: number;
}

/** How to split. */
export interface PreprocessOptions {
  /** Fraction of the images held out for testing; rounded up, as scikit-learn's `train_test_split`. */
  testSplit: number;
  seed: number;
}

/**
 * Shuffles with the seed and splits off the test set: the first `ceil(count * testSplit)` images of the
 * seeded permutation are the test split, the rest the training split, each in permutation order.
 */
export function preprocess(raw: RawDataset, options: PreprocessOptions): Prepared {
  const start = performance.now();
  const order = seededPermutation(raw.count, options.seed);
  const testCount = Math.ceil(raw.count * options.testSplit);
  if (testCount < 1 || testCount >= raw.count) {
    throw new UserError(`${raw.source} has ${raw.count} images: too few to hold out a test split of ${options.testSplit} and still train`);
  }
  const test = splitOf(raw, order.subarray(0, testCount));
  const train = splitOf(raw, order.subarray(testCount));
  // Splitting a small set can take less than the timer's resolution; a microsecond keeps the rate finite.
  const seconds = Math.max((performance.now() - start) / 1000, 1e-6);
  return { train, test, seconds, imagesPerSecond: raw.count / seconds };
}

/** The images `rows` of a data set (all of them, in order, when left out) as a split. */
export function splitOf(raw: Pick<RawDataset, 'pixels' | 'labels'>, rows: Uint32Array = inOrder(raw.labels.length)): Split {
  const labels = new Uint8Array(rows.length);
  for (let i = 0; i < rows.length; i++) labels[i] = raw.labels[rows[i]!]!;
  return { pixels: raw.pixels, rows, labels, count: rows.length };
}

/** The identity order 0..count-1, for walking a split front to back. */
export function inOrder(count: number): Uint32Array {
  const order = new Uint32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  return order;
}
