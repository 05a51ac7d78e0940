import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, test } from 'vitest';
import '@tensorflow/tfjs-backend-cpu';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import h5wasm, { type Dataset, type Group } from 'h5wasm/node';
import { saveKerasH5 } from '../../src/export/keras_h5.js';
import { buildModel, type ModelName } from '../../src/models/registry.js';
import { loadTrained } from '../../src/predict/load_trained.js';
import { compileForTraining } from '../../src/train/compile.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await h5wasm.ready;
});

/** A compiled model whose weights, biases too, are random and not the initial ones, as after training. */
function trainedModel(name: ModelName): tfl.LayersModel {
  const model = buildModel(name, 11);
  compileForTraining(model, 0.002);
  model.setWeights(model.weights.map((w, i) => tf.randomNormal(w.shape as number[], 0, 0.1, 'float32', 100 + i)));
  return model;
}

async function exported(model: tfl.LayersModel): Promise<{ dir: string; path: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'keras-h5-'));
  const path = join(dir, 'model.h5');
  await saveKerasH5(model, path);
  return { dir, path };
}

const sha256 = (data: Float32Array): string =>
  createHash('sha256')
    .update(new Uint8Array(data.buffer, data.byteOffset, data.byteLength))
    .digest('hex');

describe('Keras HDF5 export', () => {
  for (const name of ['fc', 'cnn'] as const) {
    test(`the ${name} file has Keras's attributes, config and every trained weight bit for bit`, async () => {
      const model = trainedModel(name);
      const { dir, path } = await exported(model);
      expect(await readdir(dir)).toEqual(['model.h5']);
      const file = new h5wasm.File(path, 'r');
      try {
        expect(file.attrs.keras_version!.value).toBe('2.4.0');
        expect(file.attrs.backend!.value).toBe('tensorflow');
        expect(file.attrs.model_config!.dtype).toMatch(/^A\d+$/);
        const config = JSON.parse(file.attrs.model_config!.value as string);
        expect(config.class_name).toBe('Sequential');
        expect(config.config.name).toBe('sequential_1');
        expect(config.config.layers.map((l: { config: { name: string } }) => l.config.name)).toEqual(model.layers.map((l) => l.name));
        expect(config.config.layers.map((l: { class_name: string }) => l.class_name)).toEqual(model.layers.map((l) => l.getClassName()));
        expect(config.config.layers[0].config.batch_input_shape).toEqual(name === 'cnn' ? [null, 56, 56, 1] : [null, 3136]);
        const training = JSON.parse(file.attrs.training_config!.value as string);
        expect(training.loss).toBe('categorical_crossentropy');
        expect(training.metrics).toEqual(['accuracy']);
        expect(training.optimizer_config.class_name).toBe('RMSprop');
        expect(training.optimizer_config.config.learning_rate).toBeCloseTo(0.002, 9);

        const weights = file.get('model_weights') as Group;
        expect(weights.attrs.layer_names!.value).toEqual(model.layers.map((l) => l.name));
        expect(weights.attrs.layer_names!.dtype).toMatch(/^A\d+$/);
        expect(weights.attrs.keras_version!.value).toBe('2.4.0');
        expect(weights.attrs.backend!.value).toBe('tensorflow');
        expect(weights.keys().sort()).toEqual(model.layers.map((l) => l.name).sort());
        let datasets = 0;
        for (const layer of model.layers) {
          const group = weights.get(layer.name) as Group;
          const names = group.attrs.weight_names!.value;
          if (layer.weights.length === 0) {
            expect(group.attrs.weight_names!.shape).toEqual([0]);
            continue;
          }
          expect(names).toEqual([`${layer.name}/kernel:0`, `${layer.name}/bias:0`]);
          for (const [i, weight] of layer.weights.entries()) {
            const dataset = file.get(`model_weights/${layer.name}/${(names as string[])[i]}`) as Dataset;
            expect(dataset.dtype).toBe('<f');
            expect(dataset.shape).toEqual(weight.shape);
            const want = weight.read().dataSync() as Float32Array;
            expect(want.some((v) => v !== 0)).toBe(true);
            expect(sha256(dataset.value as Float32Array)).toBe(sha256(want));
            datasets++;
          }
        }
        expect(datasets).toBe(name === 'cnn' ? 12 : 10);
      } finally {
        file.close();
      }
    });
  }

  test("npm run predict's loader reads the file back: the same layout and the model's own predictions", async () => {
    for (const name of ['fc', 'cnn'] as const) {
      const model = trainedModel(name);
      const { path } = await exported(model);
      const network = await loadTrained(path);
      expect(network.input).toBe(name === 'cnn' ? 'images' : 'flat');
      const x = tf.randomUniform(name === 'cnn' ? [3, 56, 56, 1] : [3, 3136], 0, 1, 'float32', 9);
      const want = (model.predict(x) as tf.Tensor).dataSync();
      const got = (network.model.predict(x) as tf.Tensor).dataSync();
      expect([...got]).toEqual([...want]);
    }
  });

  test('a .h5 path that is missing or holds no Keras model is refused in one sentence', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'keras-h5-'));
    await expect(loadTrained(join(dir, 'none.h5'))).rejects.toThrow(`${join(dir, 'none.h5')} is not a file`);
    const empty = join(dir, 'empty.h5');
    const file = new h5wasm.File(empty, 'w');
    file.close();
    await expect(loadTrained(empty)).rejects.toThrow(`${empty} holds no model this project can read (it has no Keras model_config attribute)`);
  });

  test('a dropout layer is written as plain Keras Dropout with only Keras options', async () => {
    const { path } = await exported(buildModel('fc', 1));
    const file = new h5wasm.File(path, 'r');
    try {
      const config = JSON.parse(file.attrs.model_config!.value as string);
      expect(config.config.layers[0]).toEqual({
        class_name: 'Dropout',
        config: { rate: 0.2, noise_shape: null, seed: 150, name: 'dropout_1', trainable: true, batch_input_shape: [null, 3136], dtype: 'float32' },
      });
    } finally {
      file.close();
    }
  });

  test('an export that fails half-way leaves no file behind', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'keras-h5-'));
    const model = buildModel('fc', 1);
    Object.defineProperty(model.layers[5]!, 'weights', {
      get: () => {
        throw new Error('weights unreadable');
      },
    });
    await expect(saveKerasH5(model, join(dir, 'model.h5'))).rejects.toThrow('weights unreadable');
    expect(await readdir(dir)).toEqual([]);
  });

  test('a layer Keras has no class for is refused, naming it', async () => {
    const model = tfl.sequential({ layers: [tfl.layers.gaussianNoise({ name: 'noise_1', stddev: 0.1, inputShape: [4] })] });
    await expect(saveKerasH5(model, join(tmpdir(), 'never.h5'))).rejects.toThrow('cannot export layer noise_1 to Keras: unknown class GaussianNoise');
  });

  const hasH5py = ((): boolean => {
    try {
      execFileSync('/usr/bin/python3', ['-c', 'import h5py'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();

  test.skipIf(!hasH5py)('h5py reads the attributes as Keras wrote them and the same weights', async () => {
    const model = trainedModel('cnn');
    const { path } = await exported(model);
    const script = `
import h5py, hashlib, json, sys
f = h5py.File(sys.argv[1], 'r')
w = f['model_weights']
out = {
  'root': {k: type(v).__name__ for k, v in f.attrs.items()},
  'layer_names': [n.decode('utf8') for n in w.attrs['layer_names']],
  'layer_names_dtype': str(w.attrs['layer_names'].dtype),
  'weights_attrs': {k: type(v).__name__ for k, v in w.attrs.items()},
  'model_config': json.loads(f.attrs['model_config'].decode('utf8'))['config']['name'],
  'empty': [str(w[n].attrs['weight_names'].dtype) for n in w.attrs['layer_names'] if len(w[n].attrs['weight_names']) == 0][:1],
  'digests': {n.decode('utf8'): hashlib.sha256(w[g][n.decode('utf8')][()].astype('<f4').tobytes()).hexdigest()
              for g in w.attrs['layer_names'] for n in w[g].attrs['weight_names']},
}
print(json.dumps(out))
`;
    const seen = JSON.parse(execFileSync('/usr/bin/python3', ['-c', script, path], { encoding: 'utf8' }));
    expect(seen.root).toEqual({ keras_version: 'str', backend: 'str', model_config: 'bytes_', training_config: 'bytes_' });
    expect(seen.layer_names).toEqual(model.layers.map((l) => l.name));
    expect(seen.layer_names_dtype).toBe('|S15');
    expect(seen.weights_attrs).toEqual({ layer_names: 'ndarray', backend: 'bytes_', keras_version: 'bytes_' });
    expect(seen.model_config).toBe('sequential_1');
    expect(seen.empty).toEqual(['float64']);
    const want = Object.fromEntries(model.weights.map((w) => [`${w.originalName}:0`, sha256(w.read().dataSync() as Float32Array)]));
    expect(seen.digests).toEqual(want);
  });

  test.skipIf(!hasH5py)("numpy running the file as Keras defines its layers gives the model's own predictions", async () => {
    for (const name of ['fc', 'cnn'] as const) {
      const model = trainedModel(name);
      const { dir, path } = await exported(model);
      const x = tf.randomUniform(name === 'cnn' ? [3, 56, 56, 1] : [3, 3136], 0, 1, 'float32', 9);
      const inputPath = join(dir, 'x.f32');
      await writeFile(inputPath, new Uint8Array((x.dataSync() as Float32Array).buffer));
      const want = (model.predict(x) as tf.Tensor).arraySync() as number[][];
      const got = JSON.parse(
        execFileSync('/usr/bin/python3', [join(import.meta.dirname, 'keras_h5_forward.py'), path, inputPath, '3'], { encoding: 'utf8' }),
      ) as number[][];
      expect(got).toHaveLength(3);
      got.forEach((row, i) => {
        expect(row).toHaveLength(36);
        row.forEach((p, j) => {
          expect(Math.abs(p - want[i]![j]!)).toBeLessThan(1e-5);
        });
      });
    }
  });
});
