import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { Prepared } from '../data/preprocess.js';
import { platform } from '../platform/index.js';
import { seededPermutation } from '../util/random.js';
import { BatchMaker } from './batch.js';
import { DeviceSums } from './device_sums.js';
import { checkAllWeights, checkBatch } from './divergence.js';
import { EarlyStopping, type EarlyStoppingState } from './early_stopping.js';
import { evaluate } from './evaluate.js';
import type { EpochRecord } from './history.js';
import { hostReadsAreCheap } from './host_reads.js';
import type { Progress } from './progress.js';
import { trainStep, trainStepOnDevice } from './train_step.js';

/** How often a fit on a device backend reads its running loss and accuracy back (and checks them): once a second. */
const DEVICE_READ_INTERVAL_MS = 1000;

/** How long and how to train. */
export interface FitOptions {
  epochs: number;
  batchSize: number;
  patience: number;
  /** Seeds each epoch's shuffle, so a run can be repeated. */
  seed: number;
  /** The network takes NHWC images rather than flat vectors. */
  images: boolean;
  /**
   * Keep each batch's loss and accuracy on the device and read them about once a second, rather than after
   * every batch; default: on backends whose reads wait for a device (`hostReadsAreCheap`).
   */
  readsOnDevice?: boolean;
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
  /** Of `seconds`, those spent in training steps (absent in checkpoints written before it was kept). */
  stepSeconds?: number;
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
    stepSeconds: 0,
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
  const onDevice = options.readsOnDevice ?? !hostReadsAreCheap();
  const device = new DeviceSums();
  let lastRead = performance.now();
  /** Folds the batches summed on the device into the state and checks them: one read for all of them. */
  const settle = (batch: number): void => {
    const { lossSum, accSum, samples } = device.take();
    lastRead = performance.now();
    if (samples === 0) return;
    checkBatch(model, lossSum / samples, state.epoch, batch);
    state.lossSum += lossSum;
    state.accSum += accSum;
  };
  await save();
  const batches = new BatchMaker(data.train, options.images, options.batchSize);
  for (;;) {
    const order = seededPermutation(total, options.seed * 1000 + state.epoch);
    const start = performance.now() - state.seconds * 1000;
    while (state.done < total) {
      // Signals (and a page's messages) are delivered by the event loop, which a chain of resolved promises never reaches.
      await platform.yieldToEventLoop();
      const batch = Math.floor(state.done / options.batchSize) + 1;
      if (control.pauseRequested()) {
        settle(batch - 1);
        state.seconds = (performance.now() - start) / 1000;
        await save();
        return { history: state.history, stoppedEarly: false, interrupted: true };
      }
      const size = Math.min(options.batchSize, total - state.done);
      const { xs, ys } = batches.make(order, state.done, size);
      const stepStart = performance.now();
      if (onDevice) {
        const step = trainStepOnDevice(model, xs, ys);
        device.add(step.loss, step.acc, size);
        state.done += size;
        // Also read after an epoch's (or a resumed run's) first batch, so that progress has figures to show.
        const due = state.done === total || state.done === device.pending || performance.now() - lastRead >= DEVICE_READ_INTERVAL_MS;
        if (due) settle(batch);
      } else {
        const { loss, acc } = trainStep(model, xs, ys);
        checkBatch(model, loss, state.epoch, batch);
        state.lossSum += loss * size;
        state.accSum += acc * size;
        state.done += size;
      }
      state.stepSeconds = (state.stepSeconds ?? 0) + (performance.now() - stepStart) / 1000;
      tf.dispose([xs, ys]);
      saved = false;
      control.afterBatch?.();
      // On a device the figures shown are those of the last read, at most a second old.
      const shown = state.done - device.pending;
      progress.batch(state.epoch, options.epochs, state.done, total, state.lossSum / shown, state.accSum / shown, (performance.now() - start) / 1000);
    }
    const trainSeconds = (performance.now() - start) / 1000;
    const val = evaluate(model, data.test, options.images);
    const validationSeconds = (performance.now() - start) / 1000 - trainSeconds;
    const record: EpochRecord = {
      epoch: state.epoch,
      loss: state.lossSum / total,
      acc: state.accSum / total,
      valLoss: val.loss,
      valAcc: val.acc,
      seconds: (performance.now() - start) / 1000,
      stepSeconds: state.stepSeconds ?? 0,
      validationSeconds,
      samplesPerSecond: total / trainSeconds,
    };
    state.history.push(record);
    progress.epoch(record, options.epochs);
    if (stopper.shouldStop(val.loss)) return { history: state.history, stoppedEarly: state.epoch < options.epochs, interrupted: false };
    if (state.epoch === options.epochs) return { history: state.history, stoppedEarly: false, interrupted: false };
    Object.assign(state, { epoch: state.epoch + 1, done: 0, lossSum: 0, accSum: 0, seconds: 0, stepSeconds: 0 });
    await save();
  }
}
