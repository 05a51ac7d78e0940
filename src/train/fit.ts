import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { Prepared } from '../data/preprocess.js';
import { seededPermutation } from '../util/random.js';
import { makeBatch } from './batch.js';
import { EarlyStopping } from './early_stopping.js';
import { evaluate } from './evaluate.js';
import type { EpochRecord } from './history.js';
import type { Progress } from './progress.js';

/** How long and how to train. */
export interface FitOptions {
  epochs: number;
  batchSize: number;
  patience: number;
  /** Seeds each epoch's shuffle, so a run can be repeated. */
  seed: number;
  /** The network takes NHWC images rather than flat vectors. */
  images: boolean;
}

/** What a fit leaves behind. */
export interface FitResult {
  history: EpochRecord[];
  /** Whether early stopping ended training before the last epoch. */
  stoppedEarly: boolean;
}

/**
 * Trains a compiled model like Keras's `fit` with validation data and EarlyStopping(val_loss): a shuffled
 * pass over the training split per epoch, then a score on the test split, until patience runs out.
 */
export async function fit(model: tfl.LayersModel, data: Prepared, options: FitOptions, progress: Progress): Promise<FitResult> {
  const history: EpochRecord[] = [];
  const stopper = new EarlyStopping(options.patience);
  const total = data.train.count;
  for (let epoch = 1; epoch <= options.epochs; epoch++) {
    const start = performance.now();
    const order = seededPermutation(total, options.seed * 1000 + epoch);
    let lossSum = 0;
    let accSum = 0;
    for (let done = 0; done < total; ) {
      const size = Math.min(options.batchSize, total - done);
      const { xs, ys } = makeBatch(data.train, order, done, size, options.images);
      const [loss, acc] = (await model.trainOnBatch(xs, ys)) as number[];
      tf.dispose([xs, ys]);
      lossSum += loss! * size;
      accSum += acc! * size;
      done += size;
      progress.batch(epoch, options.epochs, done, total, lossSum / done, accSum / done, (performance.now() - start) / 1000);
    }
    const trainSeconds = (performance.now() - start) / 1000;
    const val = evaluate(model, data.test, options.images);
    const record: EpochRecord = {
      epoch,
      loss: lossSum / total,
      acc: accSum / total,
      valLoss: val.loss,
      valAcc: val.acc,
      seconds: (performance.now() - start) / 1000,
      samplesPerSecond: total / trainSeconds,
    };
    history.push(record);
    progress.epoch(record, options.epochs);
    if (stopper.shouldStop(val.loss)) return { history, stoppedEarly: epoch < options.epochs };
  }
  return { history, stoppedEarly: false };
}
