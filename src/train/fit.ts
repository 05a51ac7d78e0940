import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { Prepared } from '../data/preprocess.js';
import { seededPermutation } from '../util/random.js';
import { BatchMaker } from './batch.js';
import { checkAllWeights, checkBatch } from './divergence.js';
import { EarlyStopping, type EarlyStoppingState } from './early_stopping.js';
import { evaluate } from './evaluate.js';
import type { EpochRecord } from './history.js';
import type { Progress } from './progress.js';
import { trainStep } from './train_step.js';

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
  /** Whether it stopped early because a pause was asked for, after saving its state. */
  interrupted: boolean;
}

/**
 * Where a fit stands between two batches. With the model's weights, the optimizer's state and the dropout
 * counters it is all a fit needs to go on as if never stopped: each epoch's shuffle is a function of the
 * seed and the epoch, so the epoch and the offset in it say which samples come next.
 */
export interface FitState {
  /** The epoch in progress, from 1. */
  epoch: number;
  /** Samples of this epoch's shuffled order already trained on. */
  done: number;
  /** This epoch's sums of batch loss and accuracy, each weighted by batch size, in float64 as the loop keeps them. */
  lossSum: number;
  accSum: number;
  /** Seconds of training spent on this epoch so far, so that an interrupted epoch still reports its speed. */
  seconds: number;
  history: EpochRecord[];
  earlyStopping: EarlyStoppingState;
}

/** How a caller steers a fit from outside: resuming it, pausing it and keeping checkpoints. */
export interface FitControl {
  /** A state saved by an earlier fit of the same model, whose weights the model already holds. */
  resumeFrom?: FitState;
  /** Asked before every batch; true makes the fit save its state and return. */
  pauseRequested(): boolean;
  /**
   * Keeps the state together with the model's weights, optimizer and dropout counters as they are now: at
   * the start, after every epoch but the last (so a good checkpoint always exists) and on a pause.
   */
  save(state: FitState): Promise<void>;
  /** Told after every training batch. */
  afterBatch?(): void;
}

const uncontrolled: FitControl = { pauseRequested: () => false, save: async () => {} };

/**
 * Trains a compiled model like Keras's `fit` with validation data and EarlyStopping(val_loss): a shuffled
 * pass over the training split per epoch, then a score on the test split, until patience runs out. A loss
 * or weights that are not finite throw `TrainingDiverged`, and are never saved.
 */
export async function fit(
  model: tfl.LayersModel,
  data: Prepared,
  options: FitOptions,
  progress: Progress,
  control: FitControl = uncontrolled,
): Promise<FitResult> {
  const total = data.train.count;
  const state: FitState = structuredClone(control.resumeFrom) ?? {
    epoch: 1,
    done: 0,
    lossSum: 0,
    accSum: 0,
    seconds: 0,
    history: [],
    earlyStopping: new EarlyStopping(options.patience).state,
  };
  const stopper = new EarlyStopping(options.patience);
  stopper.state = state.earlyStopping;
  // A resumed state is the checkpoint it came from; saving it again would write the same bytes.
  let saved = control.resumeFrom !== undefined;
  const save = async (): Promise<void> => {
    if (saved) return;
    // At an epoch's end the state already names the next epoch; the weights are the last one's.
    checkAllWeights(model, state.done === 0 && state.epoch > 1 ? state.epoch - 1 : state.epoch);
    await control.save({ ...state, earlyStopping: stopper.state });
    saved = true;
  };
  await save();
  const batches = new BatchMaker(data.train, options.images, options.batchSize);
  for (;;) {
    const order = seededPermutation(total, options.seed * 1000 + state.epoch);
    const start = performance.now() - state.seconds * 1000;
    while (state.done < total) {
      // Signals are delivered by the event loop, which a chain of resolved promises never reaches.
      await new Promise((resolve) => setImmediate(resolve));
      if (control.pauseRequested()) {
        state.seconds = (performance.now() - start) / 1000;
        await save();
        return { history: state.history, stoppedEarly: false, interrupted: true };
      }
      const size = Math.min(options.batchSize, total - state.done);
      const { xs, ys } = batches.make(order, state.done, size);
      const { loss, acc } = trainStep(model, xs, ys);
      tf.dispose([xs, ys]);
      checkBatch(model, loss, state.epoch, Math.floor(state.done / options.batchSize) + 1);
      state.lossSum += loss * size;
      state.accSum += acc * size;
      state.done += size;
      saved = false;
      control.afterBatch?.();
      progress.batch(state.epoch, options.epochs, state.done, total, state.lossSum / state.done, state.accSum / state.done, (performance.now() - start) / 1000);
    }
    const trainSeconds = (performance.now() - start) / 1000;
    const val = evaluate(model, data.test, options.images);
    const record: EpochRecord = {
      epoch: state.epoch,
      loss: state.lossSum / total,
      acc: state.accSum / total,
      valLoss: val.loss,
      valAcc: val.acc,
      seconds: (performance.now() - start) / 1000,
      samplesPerSecond: total / trainSeconds,
    };
    state.history.push(record);
    progress.epoch(record, options.epochs);
    if (stopper.shouldStop(val.loss)) return { history: state.history, stoppedEarly: state.epoch < options.epochs, interrupted: false };
    if (state.epoch === options.epochs) return { history: state.history, stoppedEarly: false, interrupted: false };
    Object.assign(state, { epoch: state.epoch + 1, done: 0, lossSum: 0, accSum: 0, seconds: 0 });
    await save();
  }
}
