import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { forwardForTraining } from '../models/training_forward.js';

/** The mean loss and accuracy of one training batch, as Keras's `train_on_batch` reports them. */
export interface StepResult {
  loss: number;
  acc: number;
}

/** Keras's clip for probabilities in categorical cross-entropy (its backend epsilon). */
const EPSILON = 1e-7;

/**
 * One training step of a model compiled with categorical cross-entropy: the maths of tfjs-layers'
 * `trainOnBatch` (forward with dropout on, batch-mean loss, gradients, one optimizer update, accuracy),
 * with fewer tfjs ops. The loss, its gradient and the accuracy are one pass over the [batch, classes]
 * probabilities on the host (4,608 numbers at batch 128) instead of about forty small kernels whose
 * engine bookkeeping costs more than their arithmetic; the layers run directly rather than through the
 * symbolic executor, with each Conv2D + ReLU pair as one kernel (training_forward.ts). Measured on the
 * FC net, one thread: about 2 ms less CPU per step (of 55).
 */
export function trainStep(model: tfl.LayersModel, xs: tf.Tensor, ys: tf.Tensor): StepResult {
  if (model.loss !== 'categoricalCrossentropy') {
    throw new Error(`trainStep computes categorical cross-entropy, but the model was compiled with ${String(model.loss)}`);
  }
  const targets = ys.dataSync();
  let acc = NaN;
  const loss = model.optimizer.minimize(
    () => {
      const step = crossEntropyOnProbabilities(forwardForTraining(model.layers, xs), targets);
      acc = step.acc;
      return step.loss;
    },
    true,
    model.trainableWeights.map((w) => w.read() as tf.Variable),
  );
  const value = loss!.dataSync()[0]!;
  loss!.dispose();
  return { loss: value, acc };
}

/** A training step's loss and accuracy, left where the backend computed them. */
export interface DeviceStepResult {
  loss: tf.Scalar;
  acc: tf.Scalar;
}

/**
 * The same step for backends whose tensors live on a device (a GPU), where every read back to the host
 * waits for the device to finish: the loss and accuracy are tfjs ops, as tfjs-layers' `fit` computes them,
 * and stay on the device until the caller reads them (fit.ts reads an epoch's running sums about once a
 * second). Nothing is read per batch, so the host can queue the next batch while the device works.
 */
export function trainStepOnDevice(model: tfl.LayersModel, xs: tf.Tensor, ys: tf.Tensor): DeviceStepResult {
  if (model.loss !== 'categoricalCrossentropy') {
    throw new Error(`trainStepOnDevice computes categorical cross-entropy, but the model was compiled with ${String(model.loss)}`);
  }
  let acc: tf.Scalar | undefined;
  const loss = model.optimizer.minimize(
    () => {
      const probabilities = forwardForTraining(model.layers, xs);
      // Kept out of minimize's tidy, which keeps only the loss.
      acc = tf.keep(tf.mean(tfl.metrics.categoricalAccuracy(ys, probabilities)) as tf.Scalar);
      return tf.mean(tfl.metrics.categoricalCrossentropy(ys, probabilities)) as tf.Scalar;
    },
    true,
    model.trainableWeights.map((w) => w.read() as tf.Variable),
  );
  return { loss: loss!, acc: acc! };
}

/**
 * Keras's `categorical_crossentropy(y, p)` averaged over the batch, as one op with an exact gradient:
 * each row of p is renormalised to sum 1 and clipped to [eps, 1 - eps], loss = -mean(sum(y log p̂)), and
 * dL/dp follows the chain rule through the renormalisation and the clip (no gradient where it clips).
 * Also returns the categorical accuracy: argmax p = argmax y, first index on ties, as tfjs's argMax.
 */
export function crossEntropyOnProbabilities(probabilities: tf.Tensor, targets: ArrayLike<number>): { loss: tf.Scalar; acc: number } {
  const [n, classes] = probabilities.shape as [number, number];
  const p = probabilities.dataSync();
  const grad = new Float32Array(n * classes);
  let lossSum = 0;
  let correct = 0;
  for (let i = 0; i < n; i++) {
    const row = i * classes;
    let sum = 0;
    let predicted = 0;
    let truth = 0;
    for (let j = 0; j < classes; j++) {
      sum += p[row + j]!;
      if (p[row + j]! > p[row + predicted]!) predicted = j;
      if (targets[row + j]! > targets[row + truth]!) truth = j;
    }
    if (predicted === truth) correct++;
    // g_j = dL/dq_j for q = p / sum, zero where the clip is active; then dL/dp_k = (g_k - sum_j g_j q_j) / sum.
    let gq = 0;
    for (let j = 0; j < classes; j++) {
      const q = p[row + j]! / sum;
      const clipped = Math.min(Math.max(q, EPSILON), 1 - EPSILON);
      const y = targets[row + j]!;
      if (y !== 0) lossSum -= y * Math.log(clipped);
      const g = clipped === q ? -y / (q * n) : 0;
      grad[row + j] = g;
      gq += g * q;
    }
    for (let j = 0; j < classes; j++) grad[row + j] = (grad[row + j]! - gq) / sum;
  }
  const op = tf.customGrad((_probabilities) => ({
    value: tf.scalar(lossSum / n),
    gradFunc: (dy: tf.Tensor) => tf.mul(tf.tensor(grad, [n, classes]), dy),
  }));
  return { loss: op(probabilities) as tf.Scalar, acc: correct / n };
}
