import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, test } from 'vitest';
import '@tensorflow/tfjs-backend-cpu';
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildModel } from '../../src/models/registry.js';
import { modelFolder, saveModel } from '../../src/train/model_files.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('model files', () => {
  test('a saved CNN loads back with tf.loadLayersModel and predicts the same', async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'model-')), 'cnn');
    const model = buildModel('cnn', 3);
    await saveModel(model, dir);
    expect((await readdir(dir)).sort()).toEqual(['model.json', 'weights.bin']);
    const loaded = await tfl.loadLayersModel(modelFolder(dir));
    expect(loaded.countParams()).toBe(691_688);
    const x = tf.randomUniform([2, 56, 56, 1], 0, 1, 'float32', 4);
    const want = (model.predict(x) as tf.Tensor).dataSync();
    const got = (loaded.predict(x) as tf.Tensor).dataSync();
    expect(Array.from(got)).toEqual(Array.from(want));
  });

  test('saving over an existing model replaces it and leaves no partial folder', async () => {
    const parent = await mkdtemp(join(tmpdir(), 'model-'));
    await saveModel(buildModel('fc', 1), join(parent, 'fc'));
    await saveModel(buildModel('fc', 2), join(parent, 'fc'));
    expect(await readdir(parent)).toEqual(['fc']);
    const loaded = await tfl.loadLayersModel(modelFolder(join(parent, 'fc')));
    expect(Array.from(loaded.getWeights()[0]!.dataSync().slice(0, 8))).toEqual(Array.from(buildModel('fc', 2).getWeights()[0]!.dataSync().slice(0, 8)));
  });
});
