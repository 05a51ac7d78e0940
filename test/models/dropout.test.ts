// The seeded Dropout layer: Keras's maths (identity at inference, inverted dropout while training), masks
// that follow the run's seed on every backend, and models that still save and load as Keras Dropout.

import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, test } from 'vitest';
import '@tensorflow/tfjs-backend-cpu';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openWasm } from '../../src/backends/wasm.js';
import { dropoutFrom, SeededDropout } from '../../src/models/dropout.js';
import { buildModel } from '../../src/models/registry.js';
import { compileForTraining } from '../../src/train/compile.js';
import { modelFolder, saveModel } from '../../src/train/model_files.js';
import { seededRandom } from '../../src/util/random.js';

const X = Float32Array.from({ length: 64 * 50 }, seededRandom(1));

/** Outputs of `calls` consecutive applications of a layer to X, on the current backend. */
function outputs(layer: tfl.layers.Layer, calls: number, training: boolean): number[][] {
  const x = tf.tensor(X, [64, 50]);
  const out = Array.from({ length: calls }, () => tf.tidy(() => Array.from((layer.apply(x, { training }) as tf.Tensor).dataSync())));
  x.dispose();
  return out;
}

describe('SeededDropout', () => {
  test('is the identity at inference', async () => {
    await tf.setBackend('cpu');
    expect(outputs(new SeededDropout({ rate: 0.5, seed: 1 }), 1, false)[0]).toEqual(Array.from(X));
  });

  test('drops about rate of the inputs and scales the rest by 1 / (1 - rate)', async () => {
    await tf.setBackend('cpu');
    const [y] = outputs(new SeededDropout({ rate: 0.25, seed: 1 }), 1, true);
    const kept = y!.filter((v, i) => v !== 0 && v === Math.fround(X[i]! * Math.fround(1 / 0.75))).length;
    expect(y!.filter((v) => v !== 0).length).toBe(kept);
    expect(Math.abs(kept / X.length - 0.75)).toBeLessThan(0.05);
  });

  test('draws a new mask each training call, the same sequence for the same seed, on every backend', async () => {
    await tf.setBackend('cpu');
    const cpu = outputs(dropoutFrom(7)({ rate: 0.5 }), 3, true);
    expect(cpu[1]).not.toEqual(cpu[0]);
    expect(cpu[2]).not.toEqual(cpu[1]);
    expect(outputs(dropoutFrom(8)({ rate: 0.5 }), 1, true)[0]).not.toEqual(cpu[0]);
    await openWasm({ threads: 2 });
    expect(outputs(dropoutFrom(7)({ rate: 0.5 }), 3, true)).toEqual(cpu);
  });

  test("saves as Keras Dropout with its seed, and loads back as tfjs-layers' Dropout that predicts the same", async () => {
    await tf.setBackend('cpu');
    const dir = join(await mkdtemp(join(tmpdir(), 'dropout-')), 'fc');
    const model = buildModel('fc', 3);
    await saveModel(model, dir);
    const json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8')) as {
      modelTopology: { config: { layers: { class_name: string; config: { rate: number; seed: number } }[] } };
    };
    const dropouts = json.modelTopology.config.layers.filter((l) => l.class_name === 'Dropout');
    expect(dropouts.map((l) => [l.config.rate, l.config.seed])).toEqual([
      [0.2, 350],
      [0.5, 351],
      [0.5, 352],
      [0.5, 353],
    ]);
    const x = tf.tensor(X.slice(0, 3136), [1, 3136]);
    const plain = await tfl.loadLayersModel(modelFolder(dir));
    expect(plain.layers.filter((l) => l instanceof SeededDropout)).toHaveLength(0);
    expect(Array.from((plain.predict(x) as tf.Tensor).dataSync())).toEqual(Array.from((model.predict(x) as tf.Tensor).dataSync()));
  });

  test('makes training repeatable: the same seed trains to the same weights', async () => {
    await openWasm({ threads: 2 });
    const train = async (): Promise<Float32Array> => {
      const model = buildModel('fc', 5);
      compileForTraining(model, 0.001);
      const random = seededRandom(2);
      const xs = tf.tensor(Float32Array.from({ length: 32 * 3136 }, random), [32, 3136]);
      const ys = tf.oneHot(
        tf.tensor1d(
          Array.from({ length: 32 }, (_, i) => i % 36),
          'int32',
        ),
        36,
      );
      for (let step = 0; step < 3; step++) await model.trainOnBatch(xs, ys);
      const weights = model.getWeights()[0]!.dataSync() as Float32Array;
      tf.dispose([xs, ys]);
      model.dispose();
      return weights;
    };
    const first = await train();
    const second = await train();
    expect(first.every((v, i) => Object.is(v, second[i]))).toBe(true);
  });
});
