import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, test } from 'vitest';
import '@tensorflow/tfjs-backend-cpu';
import { buildModel } from '../../src/models/registry.js';
import { formatSummary } from '../../src/models/summary.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('the notebook networks', () => {
  test("the FC net has the notebook's 3,305,636 parameters and layer shapes", () => {
    const model = buildModel('fc');
    expect(model.countParams()).toBe(3_305_636);
    expect(model.layers.map((l) => l.countParams())).toEqual([0, 2_195_900, 0, 490_700, 0, 350_500, 0, 250_500, 18_036]);
  });

  test("the CNN has the notebook's 691,688 parameters and output shapes", () => {
    const model = buildModel('cnn');
    expect(model.countParams()).toBe(691_688);
    const shapes = model.layers.map((l) => (l.outputShape as number[]).slice(1));
    expect(shapes).toEqual([
      [56, 56, 1],
      [54, 54, 16],
      [54, 54, 16],
      [52, 52, 32],
      [52, 52, 32],
      [26, 26, 32],
      [26, 26, 32],
      [24, 24, 64],
      [24, 24, 64],
      [12, 12, 64],
      [12, 12, 64],
      [10, 10, 128],
      [10, 10, 128],
      [3, 3, 128],
      [1152],
      [500],
      [500],
      [36],
    ]);
  });

  test('the summary lists every layer with shape and parameters, and the totals', () => {
    const text = formatSummary(buildModel('cnn'));
    expect(text).toContain('(None, 52, 52, 32)');
    expect(text).toContain('576,500');
    expect(text).toContain('Total params: 691,688');
    expect(text).toContain('Trainable params: 691,688');
    expect(text.split('\n').filter((l) => l.includes('(Conv2D)'))).toHaveLength(4);
  });

  test('layers carry the names Keras 2 gives these models in a fresh session, as the notebook printed', () => {
    expect(buildModel('fc').layers.map((l) => l.name)).toEqual([
      'dropout_1',
      'dense_1',
      'dropout_2',
      'dense_2',
      'dropout_3',
      'dense_3',
      'dropout_4',
      'dense_4',
      'dense_5',
    ]);
    const cnn = buildModel('cnn');
    expect(cnn.name).toBe('sequential_1');
    expect(cnn.layers.map((l) => l.name)).toEqual([
      'dropout_1',
      'conv2d_1',
      'activation_1',
      'conv2d_2',
      'activation_2',
      'max_pooling2d_1',
      'dropout_2',
      'conv2d_3',
      'activation_3',
      'max_pooling2d_2',
      'dropout_3',
      'conv2d_4',
      'activation_4',
      'max_pooling2d_3',
      'flatten_1',
      'dense_1',
      'dropout_4',
      'dense_2',
    ]);
  });

  test('names do not depend on what the process built before, and weights are saved under them', () => {
    buildModel('cnn');
    buildModel('fc');
    const again = buildModel('cnn', 5);
    expect(again.layers[1]!.name).toBe('conv2d_1');
    expect(again.weights.map((w) => w.originalName).slice(0, 2)).toEqual(['conv2d_1/kernel', 'conv2d_1/bias']);
    expect(formatSummary(again)).toContain('max_pooling2d_3 (MaxPooling2D)');
  });

  test('the same seed builds the same starting weights, another seed different ones', () => {
    const first = (seed: number) => buildModel('fc', seed).getWeights()[0]!.dataSync().slice(0, 64);
    expect(Array.from(first(7))).toEqual(Array.from(first(7)));
    expect(Array.from(first(7))).not.toEqual(Array.from(first(8)));
  });
});
