// Our training step must do what tfjs-layers' trainOnBatch does with categorical cross-entropy and
// accuracy: the same losses, accuracies and weights, step after step, on both networks; its fused loss
// must have the gradient of Keras's formula, including where the clip is active; and it must not leak.

import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ActiveBackend } from '../../src/backends/types.js';
import { openWasm } from '../../src/backends/wasm.js';
import { NUM_CLASSES, PIXELS } from '../../src/data/dataset.js';
import { buildModel, type ModelName, takesImages } from '../../src/models/registry.js';
import { compileForTraining } from '../../src/train/compile.js';
import { crossEntropyOnProbabilities, trainStep } from '../../src/train/train_step.js';
import { seededRandom } from '../../src/util/random.js';
import { expectClose } from '../support/expect_close.js';

let backend: ActiveBackend;
beforeAll(async () => {
  // Our backend, whose kernels are tested against the plain JS one elsewhere: the CNN would take minutes there.
  backend = await openWasm({ threads: 2 });
});
afterAll(async () => {
  await backend.close();
});

function randomBatch(name: ModelName, batch: number, seed: number): { xs: tf.Tensor; ys: tf.Tensor } {
  const random = seededRandom(seed);
  const x = new Float32Array(batch * PIXELS).map(() => random());
  const labels = Array.from({ length: batch }, () => Math.floor(random() * NUM_CLASSES));
  return {
    xs: tf.tensor(x, takesImages(name) ? [batch, 56, 56, 1] : [batch, PIXELS]),
    ys: tf.oneHot(tf.tensor1d(labels, 'int32'), NUM_CLASSES),
  };
}

describe.each<[ModelName, number]>([
  ['fc', 64],
  ['cnn', 16],
])('%s: trainStep and trainOnBatch', (name, batch) => {
  test('give the same losses, accuracies and weights over several steps, dropout on', async () => {
    const reference = buildModel(name, 11);
    const ours = buildModel(name, 11);
    compileForTraining(reference, 0.001);
    compileForTraining(ours, 0.001);
    for (let step = 0; step < 3; step++) {
      const { xs, ys } = randomBatch(name, batch, 100 + step);
      const [loss, acc] = (await reference.trainOnBatch(xs, ys)) as number[];
      const result = trainStep(ours, xs, ys);
      expectClose([result.loss], [loss!], 1e-5);
      expect(result.acc, `accuracy at step ${step}`).toBe(acc);
      tf.dispose([xs, ys]);
    }
    const a = reference.getWeights();
    const b = ours.getWeights();
    expect(b.length).toBe(a.length);
    a.forEach((w, i) => {
      expectClose(b[i]!.dataSync(), w.dataSync(), 1e-5);
    });
    reference.dispose();
    ours.dispose();
  }, 120_000);
});

test('trainStep leaves no tensors behind', () => {
  const model = buildModel('fc', 3);
  compileForTraining(model, 0.001);
  const { xs, ys } = randomBatch('fc', 16, 5);
  trainStep(model, xs, ys); // creates the optimizer's state
  const before = tf.memory().numTensors;
  for (let i = 0; i < 3; i++) trainStep(model, xs, ys);
  expect(tf.memory().numTensors).toBe(before);
  tf.dispose([xs, ys]);
  model.dispose();
});

test("the fused loss has the value and gradient of Keras's formula, clipped entries included", () => {
  const random = seededRandom(9);
  const n = 7;
  // Rows that do not sum to 1 (renormalised), and entries far below epsilon and at 1 (clipped).
  const p = new Float32Array(n * NUM_CLASSES).map(() => 0.05 + random());
  p[3] = 1e-12;
  p[NUM_CLASSES + 5] = 0;
  for (let j = 0; j < NUM_CLASSES; j++) p[2 * NUM_CLASSES + j] = j === 4 ? 1 : 0;
  const y = new Float32Array(n * NUM_CLASSES);
  for (let i = 0; i < n; i++) y[i * NUM_CLASSES + Math.floor(random() * NUM_CLASSES)] = 1;
  y[3] = 1; // a target on a clipped entry
  const probabilities = tf.tensor2d(p, [n, NUM_CLASSES]);
  const targets = tf.tensor2d(y, [n, NUM_CLASSES]);
  const keras = (q: tf.Tensor): tf.Scalar => {
    const normalised = tf.div(q, tf.sum(q, -1, true));
    const clipped = tf.clipByValue(normalised, 1e-7, 1 - 1e-7);
    return tf.mean(tf.neg(tf.sum(tf.mul(targets, tf.log(clipped)), -1)));
  };
  const expected = tf.valueAndGrad(keras)(probabilities);
  const ours = tf.valueAndGrad((q: tf.Tensor) => crossEntropyOnProbabilities(q, y).loss)(probabilities);
  expectClose(ours.value.dataSync(), expected.value.dataSync(), 1e-6);
  expectClose(ours.grad.dataSync(), expected.grad.dataSync(), 1e-5);
  expect(Math.max(...expected.grad.dataSync().map(Math.abs)), 'the gradient is not all zeros').toBeGreaterThan(0.01);
  tf.dispose([probabilities, targets, expected.value, expected.grad, ours.value, ours.grad]);
});
