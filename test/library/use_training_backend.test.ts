import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, describe, expect, test } from 'vitest';
import '@tensorflow/tfjs-backend-cpu';
import { type TrainingBackend, useTrainingBackend } from '../../src/index.js';

/** Loss after each of three epochs of a small seeded MLP on fixed data, on whichever backend is current. */
async function threeEpochs(): Promise<number[]> {
  const model = tfl.sequential({
    layers: [
      tfl.layers.dense({ inputShape: [12], units: 10, activation: 'relu', kernelInitializer: tfl.initializers.glorotUniform({ seed: 1 }) }),
      tfl.layers.dense({ units: 4, activation: 'softmax', kernelInitializer: tfl.initializers.glorotUniform({ seed: 2 }) }),
    ],
  });
  model.compile({ optimizer: tf.train.sgd(0.1), loss: 'categoricalCrossentropy' });
  const x = tf.randomUniform([64, 12], -1, 1, 'float32', 3);
  const y = tf.cast(tf.oneHot(tf.argMax(tf.slice(x, [0, 0], [64, 4]), 1), 4), 'float32');
  const history = await model.fit(x, y, { epochs: 3, batchSize: 16, shuffle: false, verbose: 0 });
  tf.dispose([x, y]);
  model.dispose();
  return history.history.loss as number[];
}

describe('useTrainingBackend', () => {
  let backend: TrainingBackend | undefined;
  afterAll(async () => backend?.close());

  test('selects our backend in tfjs with the threads asked for, and plain model.fit trains as on cpu', async () => {
    await tf.setBackend('cpu');
    const onCpu = await threeEpochs();
    backend = await useTrainingBackend({ threads: 2 });
    expect(backend).toMatchObject({ name: 'alnum-wasm', threads: 2 });
    expect(tf.getBackend()).toBe('alnum-wasm');
    const ours = await threeEpochs();
    expect(ours).toHaveLength(3);
    for (const [i, loss] of ours.entries()) expect(Math.abs(loss - onCpu[i]!)).toBeLessThan(1e-5 * Math.max(1, Math.abs(onCpu[i]!)));
  });

  test.each([0, -1, 1.5])('refuses threads=%s before starting anything', async (threads) => {
    await expect(useTrainingBackend({ threads })).rejects.toThrow(RangeError);
  });
});
