// The Keras HDF5 layout written into an open h5wasm file, with no file system of its own: Node's export
// (keras_h5.ts) writes a file on disk, the browser page a file in h5wasm's memory (keras_h5_bytes.ts).
import type * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { Group, File as H5File } from 'h5wasm/node';
import { writeBytesArrayAttribute, writeBytesAttribute, writeStrAttribute } from './h5_attributes.js';
import { kerasTrainingConfig } from './keras_config.js';

/** The Keras release whose legacy HDF5 layout the export follows (tf.keras 2.x, `model.save('x.h5')`). */
export const KERAS_VERSION = '2.4.0';
/** What Keras records as its backend. */
export const KERAS_BACKEND = 'tensorflow';

// The layout of Keras's save_model_to_hdf5 and save_weights_to_hdf5_group, with each attribute in the
// Python type Keras gives h5py (str at the root, bytes everywhere else).
export function writeKerasModel(file: H5File, model: tfl.LayersModel, modelConfig: string): void {
  writeStrAttribute(file, 'keras_version', KERAS_VERSION);
  writeStrAttribute(file, 'backend', KERAS_BACKEND);
  writeBytesAttribute(file, 'model_config', modelConfig);
  writeBytesAttribute(file, 'training_config', JSON.stringify(kerasTrainingConfig(model)));

  const weightsGroup = file.create_group('model_weights');
  writeBytesArrayAttribute(
    weightsGroup,
    'layer_names',
    model.layers.map((layer) => layer.name),
  );
  writeBytesAttribute(weightsGroup, 'backend', KERAS_BACKEND);
  writeBytesAttribute(weightsGroup, 'keras_version', KERAS_VERSION);
  // Keras creates the layer groups in name order; HDF5 lists them by name either way.
  for (const layer of [...model.layers].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const layerGroup = weightsGroup.create_group(layer.name);
    // tfjs keeps trainable weights before non-trainable ones, the order Keras's h5 format uses.
    const names = layer.weights.map((w) => `${w.originalName}:0`);
    writeBytesArrayAttribute(layerGroup, 'weight_names', names);
    layer.weights.forEach((weight, i) => {
      writeWeight(layerGroup, names[i]!, weight.read());
    });
  }
}

function writeWeight(layerGroup: Group, name: string, value: tf.Tensor): void {
  if (value.dtype !== 'float32') throw new Error(`cannot export weight ${name} to Keras: dtype ${value.dtype}, not float32`);
  // The weight's name is a path (`dense_1/kernel:0`): its folders become groups, as h5py makes them.
  const parts = name.split('/');
  let group = layerGroup;
  for (const part of parts.slice(0, -1)) group = (group.get(part) as Group | null) ?? group.create_group(part);
  const leaf = parts[parts.length - 1]!;
  group.create_dataset({ name: leaf, data: value.dataSync() as Float32Array, shape: value.shape, dtype: '<f' });
  // h5wasm reports a failed dataset creation on stderr only; a missing weight must not pass silently.
  if (group.get(leaf) === null) throw new Error(`could not write weight ${name} to the HDF5 file`);
}
