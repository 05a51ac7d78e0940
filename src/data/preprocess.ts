import { seededPermutation } from '../util/random.js';
import { UserError } from '../util/user_error.js';
import { workerEntry } from '../util/worker_entry.js';
import { PIXELS, type RawDataset } from './dataset.js';
import type { NormalizeTask } from './normalize.js';
import { type RunTask, type WorkerFile, withThreadPool } from './thread_pool.js';

/** Images ready for training: float32 pixels in [0, 1], `count * 3136` of them, and class indices. */
export interface Split {
  /** Row-major 56x56 images; the FC net reads them as [count, 3136], the CNN as NHWC [count, 56, 56, 1]. */
  x: Float32Array;
  labels: Uint8Array;
  count: number;
}

/** The training and test halves of a data set, and how fast they were made. */
export interface Prepared {
  train: Split;
  test: Split;
  seconds: number;
  /** Images normalised per second, over all threads. */
  imagesPerSecond: number;
}

/** How to split and how many threads to use. */
export interface PreprocessOptions {
  /** Fraction of the images held out for testing; rounded up, as scikit-learn's `train_test_split`. */
  testSplit: number;
  seed: number;
  threads: number;
  /** The thread entry; `workers/normalize` unless a test swaps in one that fails. */
  worker?: WorkerFile;
}

/**
 * Shuffles with the seed, splits off the test set, and normalises both halves across worker threads. The
 * source pixels are shared with the threads once and each thread writes its rows of the result in place.
 */
export async function preprocess(raw: RawDataset, options: PreprocessOptions): Promise<Prepared> {
  const start = performance.now();
  const order = seededPermutation(raw.count, options.seed);
  const testCount = Math.ceil(raw.count * options.testSplit);
  if (testCount < 1 || testCount >= raw.count) {
    throw new UserError(`${raw.source} has ${raw.count} images: too few to hold out a test split of ${options.testSplit} and still train`);
  }
  const testOrder = order.subarray(0, testCount);
  const trainOrder = order.subarray(testCount);
  const pixels = shareable(raw.pixels);
  const poolOptions = { worker: options.worker ?? workerEntry('normalize'), threads: options.threads, what: 'preprocessing' };
  const [train, test] = await withThreadPool<NormalizeTask, void, [Split, Split]>(poolOptions, (run) =>
    Promise.all([gather(run, pixels, trainOrder, raw.labels, options.threads), gather(run, pixels, testOrder, raw.labels, options.threads)]),
  );
  const seconds = (performance.now() - start) / 1000;
  return { train, test, seconds, imagesPerSecond: raw.count / seconds };
}

async function gather(
  run: RunTask<NormalizeTask, void>,
  pixels: Uint8Array | Float32Array,
  order: Uint32Array,
  labels: Uint8Array,
  threads: number,
): Promise<Split> {
  const count = order.length;
  // Threads write their rows straight into shared memory: nothing is copied back or moved.
  const x = new Float32Array(new SharedArrayBuffer(count * PIXELS * 4));
  const shardRows = Math.ceil(count / threads);
  const shards: Promise<void>[] = [];
  for (let firstRow = 0; firstRow < count; firstRow += shardRows) {
    const indices = order.slice(firstRow, Math.min(count, firstRow + shardRows));
    shards.push(run({ pixels, indices, out: x, firstRow }, { transferList: [indices.buffer] }));
  }
  await Promise.all(shards);
  const shuffledLabels = new Uint8Array(count);
  for (let i = 0; i < count; i++) shuffledLabels[i] = labels[order[i]!]!;
  return { x, labels: shuffledLabels, count };
}

/** The pixels in shared memory, so every thread reads them without a copy per task. */
function shareable(pixels: Uint8Array | Float32Array): Uint8Array | Float32Array {
  if (pixels.buffer instanceof SharedArrayBuffer) return pixels;
  const shared = new SharedArrayBuffer(pixels.byteLength);
  const copy = pixels instanceof Uint8Array ? new Uint8Array(shared) : new Float32Array(shared);
  copy.set(pixels);
  return copy;
}
