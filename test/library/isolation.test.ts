// A program that imports this package, or starts our backend and closes it again, keeps tfjs as it was for
// every other backend and model: the layer classes tfjs-layers deserialises, the gradient of every kernel
// tfjs has, the kernels of the stock backends, and the automatic names of the program's own layers.
// Vitest runs each file in a fresh process, so the "before" below is tfjs as a user's program has it.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, test } from 'vitest';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';

const STOCK_BACKENDS = ['cpu', 'wasm'] as const;

/** What tfjs holds in its process-wide registries, by identity. */
interface Registries {
  classes: Map<string, unknown>;
  gradients: Map<string, unknown>;
  kernels: Map<string, unknown>;
}

function registries(): Registries {
  const names = new Set(STOCK_BACKENDS.flatMap((b) => tf.getKernelsForBackend(b).map((k) => k.kernelName)));
  const classMap = tf.serialization.SerializationMap.getMap().classNameMap;
  return {
    classes: new Map(Object.entries(classMap).map(([name, [cls]]) => [name, cls])),
    gradients: new Map([...names].map((name) => [name, tf.getGradient(name)])),
    kernels: new Map(STOCK_BACKENDS.flatMap((b) => tf.getKernelsForBackend(b).map((k) => [`${b} ${k.kernelName}`, k.kernelFunc] as const))),
  };
}

/** The entries of `after` that are missing from `before` or differ from it. */
function changed(before: Map<string, unknown>, after: Map<string, unknown>): string[] {
  const keys = new Set([...before.keys(), ...after.keys()]);
  return [...keys].filter((k) => before.get(k) !== after.get(k)).sort();
}

/** Trains a plain tfjs-layers model for one epoch on the current backend; its loss, to show it ran. */
async function fitPlainModel(optimizer: tf.Optimizer = tf.train.rmsprop(0.01)): Promise<number> {
  const model = tfl.sequential({
    layers: [
      tfl.layers.dense({ inputShape: [6], units: 5, activation: 'relu', name: 'plain_hidden' }),
      tfl.layers.dropout({ rate: 0.3, name: 'plain_dropout' }),
      tfl.layers.dense({ units: 3, activation: 'softmax', name: 'plain_out' }),
    ],
  });
  model.compile({ optimizer, loss: 'categoricalCrossentropy' });
  const x = tf.randomUniform([16, 6], -1, 1, 'float32', 4);
  const y = tf.oneHot(tf.randomUniform([16], 0, 3, 'int32', 5) as tf.Tensor1D, 3);
  const history = await model.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0 });
  tf.dispose([x, y]);
  model.dispose();
  return history.history.loss![0] as number;
}

describe('importing and using the package leaves tfjs alone', () => {
  const before = registries();
  const firstAutoName = tfl.layers.dense({ units: 1 }).name;

  test('importing the package, the notebook networks and the trainer registers nothing', async () => {
    await import('../../src/index.js');
    await import('../../src/optimizers.js');
    await import('../../src/models/registry.js');
    await import('../../src/train/run.js');
    const after = registries();
    expect(changed(before.classes, after.classes)).toEqual([]);
    expect(changed(before.gradients, after.gradients)).toEqual([]);
    expect(changed(before.kernels, after.kernels)).toEqual([]);
    // A layer made at import without a name would have taken the program's next automatic name.
    const [prefix, n] = firstAutoName.split(/(\d+)$/);
    expect(tfl.layers.dense({ units: 1 }).name).toBe(`${prefix}${Number(n) + 1}`);
  });

  test("starting our backend, training both a plain model (also with the package's fused optimizers) and the notebook's FC net on it, and closing it changes no other backend's kernels or any gradient", async () => {
    const { useTrainingBackend } = await import('../../src/index.js');
    const { adam, momentum } = await import('../../src/optimizers.js');
    const { buildModel } = await import('../../src/models/registry.js');
    const { compileForTraining } = await import('../../src/train/compile.js');
    const { trainStep } = await import('../../src/train/train_step.js');
    const backend = await useTrainingBackend({ threads: 2 });
    try {
      expect(Number.isFinite(await fitPlainModel())).toBe(true);
      expect(Number.isFinite(await fitPlainModel(adam(0.01)))).toBe(true);
      expect(Number.isFinite(await fitPlainModel(momentum(0.01, 0.9, true)))).toBe(true);
      const fc = buildModel('fc', 1);
      compileForTraining(fc, 0.001);
      const xs = tf.randomUniform([8, 3136], 0, 1, 'float32', 6);
      const ys = tf.oneHot(tf.randomUniform([8], 0, 36, 'int32', 7) as tf.Tensor1D, 36);
      expect(Number.isFinite(trainStep(fc, xs, ys).loss)).toBe(true);
      tf.dispose([xs, ys]);
      fc.dispose();
    } finally {
      await backend.close();
    }
    const after = registries();
    expect(changed(before.classes, after.classes)).toEqual([]);
    // The fused layers' gradients live under kernel names of their own, which no tfjs kernel has.
    expect(changed(before.gradients, after.gradients)).toEqual([]);
    expect(changed(before.kernels, after.kernels)).toEqual([]);
    expect(tf.getGradient('AlnumDenseBiasActivation')).toBeDefined();
  });

  test('a plain model trains on the cpu backend afterwards with tfjs-layers own classes and gradients', async () => {
    await tf.setBackend('cpu');
    expect(Number.isFinite(await fitPlainModel())).toBe(true);
  });
});
