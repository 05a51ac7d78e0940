// The page's trainer: a dedicated Web Worker that runs tfjs with this project's backend. A page's main
// thread may not block in Atomics.wait, which the kernel pool's caller does, so tfjs and the pool's
// calling thread live here; the pool's other threads are module Workers this one starts, all on tfjs's
// shared heap (docs/browser.md).
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { NUM_CLASSES, PIXELS } from '../src/data/dataset.js';
import type { Split } from '../src/data/preprocess.js';
import { kerasH5Bytes } from '../src/export/keras_h5_bytes.js';
import { useTrainingBackend } from '../src/index.js';
import { kernelContext } from '../src/kernels/call/context.js';
import { type ModelName, takesImages } from '../src/models/registry.js';
import { classProbabilities, topK } from '../src/predict/classify.js';
import { greyFromRgba, toTrainingImage } from '../src/predict/training_image.js';
import { predictSplit } from '../src/report/predictions.js';
import { modelFiles } from '../src/train/model_artifacts.js';
import { formatEpoch, type Progress } from '../src/train/progress.js';
import { UserError } from '../src/util/user_error.js';
import type { BackendFacts, ModelResult, PredictRequest, StopRequest, TestResults, TrainerMessage, TrainRequest } from './protocol.js';
import { asBytes, dataSplit, trainModel } from './train_model.js';

interface TrainerScope {
  crossOriginIsolated: boolean;
  postMessage(message: TrainerMessage): void;
  addEventListener(type: 'message', listener: (event: { data: TrainRequest | StopRequest | PredictRequest }) => void): void;
}

const scope = globalThis as unknown as TrainerScope;
const send = (message: TrainerMessage): void => scope.postMessage(message);
const log = (text: string): void => send({ type: 'log', text });
/** Set by the page's stop button; fit reads it before every step (its loop yields, so the message gets here). */
let stopRequested = false;
/** The networks of the last training, kept (also when stopped) for drawing and predicting. */
const trained = new Map<ModelName, tfl.Sequential>();

/** Keras-like lines: a progress line about twice a second, and one line per epoch, whose figures also feed the page's curves. */
function pageProgress(model: ModelName): Progress {
  let last = 0;
  return {
    batch(epoch, epochs, done, total, loss, acc, seconds) {
      const now = performance.now();
      if (done === total || now - last < 500) return;
      last = now;
      const eta = (seconds * (total - done)) / done;
      log(`Epoch ${epoch}/${epochs} ${done}/${total} - ETA ${eta.toFixed(0)}s - loss: ${loss.toFixed(4)} - acc: ${acc.toFixed(4)}`);
    },
    epoch(record, epochs) {
      log(formatEpoch(record, epochs));
      const { epoch, loss, acc, valLoss, valAcc } = record;
      send({ type: 'epoch', model, point: { epoch, loss, acc, valLoss, valAcc } });
    },
  };
}

function facts(detail: { threads: number; kernels: string; detail: string }, fallback: string | undefined): BackendFacts {
  const counts = kernelContext(tf.backend()).pool.callCounts;
  return {
    crossOriginIsolated: scope.crossOriginIsolated,
    backend: tf.getBackend(),
    threads: detail.threads,
    kernels: detail.kernels,
    detail: detail.detail,
    threadedCalls: counts.splitCalls,
    kernelCalls: counts.calls,
    ...(fallback === undefined ? {} : { fallback }),
  };
}

async function train(request: TrainRequest): Promise<void> {
  // Threads need memory shared between workers, which a page gets only when cross-origin isolated.
  const threads = scope.crossOriginIsolated ? request.threads : 1;
  const fallback =
    threads < request.threads
      ? 'the page is not cross-origin isolated (it was served without the COOP and COEP headers), so its workers cannot share memory'
      : undefined;
  if (fallback !== undefined) log(`Note: one thread, as ${fallback}.`);
  const backend = await useTrainingBackend({ threads });
  log(`Backend: ${backend.name}, ${backend.detail}; crossOriginIsolated: ${scope.crossOriginIsolated}`);
  send({ type: 'backend', facts: facts(backend, fallback) });
  const started = performance.now();
  let lastLine = started;
  const { raw, data } = await dataSplit(
    request.data,
    request.images,
    request.seed,
    (done) => {
      if (performance.now() - lastLine < 500 || done === request.images) return;
      lastLine = performance.now();
      log(`Generating: ${done}/${request.images} images`);
    },
    request.pickle,
  );
  const seconds = (performance.now() - started) / 1000;
  log(`Data: ${raw.source}, made in ${seconds.toFixed(1)} s; ${data.train.count} training and ${data.test.count} test images`);
  const shown = Math.min(16, raw.count);
  send({ type: 'samples', pixels: asBytes(raw.pixels.subarray(0, shown * PIXELS)), labels: raw.labels.slice(0, shown) });
  const results: ModelResult[] = [];
  stopRequested = false;
  for (const model of trained.values()) model.dispose();
  trained.clear();
  for (const name of request.models) {
    if (stopRequested) break;
    log(
      `Training ${name.toUpperCase()}: up to ${request.epochs} epoch${request.epochs === 1 ? '' : 's'}, batch 128, patience ${request.patience}, learning rate ${request.learningRate}`,
    );
    const { model, result } = await trainModel(name, data, request, pageProgress(name), () => stopRequested);
    trained.set(name, model);
    send({ type: 'results', results: testResults(name, model, data.test) });
    send({ type: 'model-files', model: name, ...(await modelFiles(model)), h5: await kerasH5Bytes(model) });
    if (result.ended !== 'epochs') log(`${name.toUpperCase()}: ${result.ended} after ${result.epochs} epoch${result.epochs === 1 ? '' : 's'}`);
    results.push(result);
  }
  send({ type: 'done', results, facts: facts(backend, fallback) });
}

/** The network's predictions on the test split as a confusion matrix and the first 16 it gets wrong. */
function testResults(name: ModelName, model: tfl.Sequential, test: Split): TestResults {
  const { predicted } = predictSplit(model, test, takesImages(name));
  const confusion = new Uint32Array(NUM_CLASSES * NUM_CLASSES);
  const wrong: number[] = [];
  let right = 0;
  for (let i = 0; i < test.count; i++) {
    const label = test.labels[i]!;
    confusion[label * NUM_CLASSES + predicted[i]!]! += 1;
    if (label === predicted[i]) right++;
    else if (wrong.length < 16) wrong.push(i);
  }
  const pixels = new Uint8Array(wrong.length * PIXELS);
  wrong.forEach((i, k) => {
    const row = test.rows[i]!;
    pixels.set(asBytes(test.pixels.subarray(row * PIXELS, (row + 1) * PIXELS)), k * PIXELS);
  });
  return {
    model: name,
    accuracy: right / test.count,
    confusion,
    wrong: { pixels, labels: Uint8Array.from(wrong, (i) => test.labels[i]!), predicted: Uint8Array.from(wrong, (i) => predicted[i]!) },
  };
}

/** Converts a drawing exactly as `npm run predict` converts an image file, and asks every trained network. */
function predict(request: PredictRequest): void {
  if (trained.size === 0) {
    send({ type: 'prediction-failed', message: 'train a network first' });
    return;
  }
  let image: Float32Array;
  try {
    image = toTrainingImage(greyFromRgba(request.rgba, request.width, request.height), 'the drawing');
  } catch (error) {
    send({ type: 'prediction-failed', message: error instanceof Error ? error.message : String(error) });
    return;
  }
  const guesses = [...trained].map(([name, model]) => {
    const [probabilities] = classProbabilities({ model, input: takesImages(name) ? 'images' : 'flat' }, image, 1);
    return { model: name, top: topK(probabilities!, 3) };
  });
  send({ type: 'prediction', image, guesses });
}

scope.addEventListener('message', (event) => {
  if (event.data.type === 'stop') {
    stopRequested = true;
    return;
  }
  if (event.data.type === 'predict') {
    predict(event.data);
    return;
  }
  // A problem the user can fix is its one sentence; anything else, a bug, keeps its stack.
  const describe = (error: unknown): string =>
    error instanceof UserError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error);
  train(event.data).catch((error: unknown) => send({ type: 'failed', message: describe(error) }));
});
