import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { openWasm } from '../../src/backends/wasm.js';
import { PIXELS } from '../../src/data/dataset.js';
import { type Prepared, type Split, splitOf } from '../../src/data/preprocess.js';
import { buildModel, type ModelName, takesImages } from '../../src/models/registry.js';
import { EarlyStopping } from '../../src/train/early_stopping.js';
import { fit } from '../../src/train/fit.js';
import { silentProgress } from '../../src/train/progress.js';
import { seededRandom } from '../../src/util/random.js';

beforeAll(async () => {
  await openWasm({ threads: 2 });
});

/** A learnable toy split: dark images where each class lights its own block of pixels, plus sparse noise. */
function toySplit(count: number, seed: number): Split {
  const r = seededRandom(seed);
  const x = new Float32Array(count * PIXELS);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const label = i % 36;
    labels[i] = label;
    for (let p = 0; p < PIXELS; p++) x[i * PIXELS + p] = r() < 0.05 ? r() : 0;
    for (let p = 0; p < 80; p++) x[i * PIXELS + label * 85 + p] = 1;
  }
  return splitOf({ pixels: x, labels });
}

describe('training on our WASM backend', () => {
  test.each(['fc', 'cnn'] as ModelName[])('a few %s steps bring the loss down', async (name) => {
    const data: Prepared = { train: toySplit(128, 1), test: toySplit(36, 2), seconds: 0, imagesPerSecond: 0 };
    const model = buildModel(name, 11);
    model.compile({ optimizer: tf.train.rmsprop(0.001), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    const result = await fit(model, data, { epochs: 4, batchSize: 32, patience: 10, seed: 1, images: takesImages(name) }, silentProgress);
    const losses = result.history.map((e) => e.loss);
    expect(losses).toHaveLength(4);
    expect(losses.every(Number.isFinite)).toBe(true);
    // Dropout masks are not seeded yet, so the bar leaves room for their noise: a clear drop, and below
    // ln(36), the loss of guessing uniformly among the classes.
    expect(losses[3]!).toBeLessThan(losses[0]! * 0.9);
    expect(losses[3]!).toBeLessThan(Math.log(36));
    expect(result.history[3]!.valLoss).toBeLessThan(result.history[0]!.valLoss);
  });
});

describe('early stopping', () => {
  test('stops after `patience` epochs without a lower validation loss, as Keras does', () => {
    const stopper = new EarlyStopping(2);
    expect([0.5, 0.4, 0.41, 0.39, 0.39, 0.4].map((v) => stopper.shouldStop(v))).toEqual([false, false, false, false, false, true]);
    expect(stopper.best).toBe(0.39);
  });
});
