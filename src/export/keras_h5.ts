import { mkdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type * as tfl from '@tensorflow/tfjs-layers';
import h5wasm from 'h5wasm/node';
import { kerasModelConfig } from './keras_config.js';
import { writeKerasModel } from './keras_h5_layout.js';

/**
 * Saves a model as Keras 2 saves one to `.h5` (what the notebook's `model.save("prediction_model.h5")`
 * wrote): architecture and compile settings as JSON attributes, and each layer's trained weights under
 * `model_weights/<layer>/<layer>/kernel:0` in Keras's shapes, so `keras.models.load_model` and h5py read it.
 * The file is written beside the target and renamed into place, so an interrupted save leaves nothing.
 */
export async function saveKerasH5(model: tfl.LayersModel, path: string): Promise<void> {
  const modelConfig = kerasModelConfig(model);
  await h5wasm.ready;
  await mkdir(dirname(path), { recursive: true });
  const partial = join(dirname(path), `.${basename(path)}.partial-${process.pid}`);
  try {
    const file = new h5wasm.File(partial, 'w');
    try {
      writeKerasModel(file, model, JSON.stringify(modelConfig));
    } finally {
      file.close();
    }
    await rename(partial, path);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
}
