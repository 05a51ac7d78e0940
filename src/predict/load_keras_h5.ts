// Reads a Keras `.h5` file as the project's exporter writes it (src/export/keras_h5_layout.ts): the
// architecture from the `model_config` attribute, rebuilt by tfjs-layers' Keras deserialiser, and each
// layer's weights from `model_weights/<layer>/<weight name>` in the order `weight_names` lists them.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import h5wasm, { type Dataset, type Group } from 'h5wasm/node';

/** The model in `path`; throws (a plain Error, the caller words it for the user) when it is not such a file. */
export async function loadKerasH5(path: string): Promise<tfl.LayersModel> {
  await h5wasm.ready;
  const file = new h5wasm.File(path, 'r');
  try {
    const config = file.attrs.model_config?.value;
    if (typeof config !== 'string') throw new Error('it has no Keras model_config attribute');
    const model = await tfl.models.modelFromJSON({ modelTopology: JSON.parse(config) });
    const weights = file.get('model_weights');
    if (!(weights instanceof h5wasm.Group)) throw new Error('it has no model_weights group');
    const values = model.layers.flatMap((layer) => {
      const group = (weights as Group).get(layer.name);
      if (!(group instanceof h5wasm.Group)) throw new Error(`it has no weights for layer ${layer.name}`);
      const listed = group.attrs.weight_names?.value;
      // An empty list is stored as an empty float array, as h5py stores Keras's `[]`.
      const names = Array.isArray(listed) ? (listed as string[]) : [];
      if (names.length !== layer.weights.length) throw new Error(`layer ${layer.name} has ${names.length} weights, not ${layer.weights.length}`);
      return names.map((name) => {
        const dataset = group.get(name) as Dataset | null;
        if (dataset === null || dataset.dtype !== '<f') throw new Error(`weight ${name} is missing or not float32`);
        return tf.tensor(dataset.value as Float32Array, dataset.shape ?? [], 'float32');
      });
    });
    model.setWeights(values);
    tf.dispose(values);
    return model;
  } finally {
    file.close();
  }
}
