// The library's promise is that any tfjs-layers program trains on our backend through plain `model.fit`, not only
// the notebook's two networks: three other common shapes of network (test/support/models/zoo.ts) must train on
// ours as on tfjs's plain JS backend.
import * as tf from '@tensorflow/tfjs-core';
import { expect, test } from 'vitest';
import '@tensorflow/tfjs-backend-cpu';
import { NUM_CLASSES } from '../../src/data/dataset.js';
import { buildZooModel, ZOO_MODEL_NAMES, zooSampleShape } from '../support/models/zoo.js';

/** Parameter counts the builders' doc comments state, so a changed layer shows up as a changed count. */
const PARAMETERS = { lenet: 392_236, vgg: 478_644, mlp: 1_775_012 };

test.each(ZOO_MODEL_NAMES)('%s builds compiled, with its stated parameter count, from 56x56 pixels to 36 class probabilities', async (name) => {
  await tf.setBackend('cpu');
  const model = buildZooModel(name, 1);
  expect(model.countParams()).toBe(PARAMETERS[name]);
  expect(model.inputs[0]!.shape).toEqual([null, ...zooSampleShape(name)]);
  expect(zooSampleShape(name).reduce((a, b) => a * b)).toBe(56 * 56);
  const probabilities = tf.tidy(() => tf.sum(model.predict(tf.randomUniform([2, ...zooSampleShape(name)], 0, 1, 'float32', 1)) as tf.Tensor, 1).arraySync());
  expect(probabilities).toEqual([expect.closeTo(1, 5), expect.closeTo(1, 5)]);
  expect(model.outputs[0]!.shape).toEqual([null, NUM_CLASSES]);
  expect(model.optimizer).toBeDefined();
  model.dispose();
});
