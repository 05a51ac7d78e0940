import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import * as tfl from '@tensorflow/tfjs-layers';
import { IMAGE_SIZE, NUM_CLASSES, PIXELS } from '../data/dataset.js';
import { modelFolder } from '../train/model_files.js';
import { UserError } from '../util/user_error.js';
import { loadKerasH5 } from './load_keras_h5.js';

/** A trained network read back from disk, and the input layout it takes. */
export interface TrainedNetwork {
  model: tfl.LayersModel;
  /** `images` for NHWC [56, 56, 1] input (the CNN), `flat` for 3136-pixel vectors (the FC net). */
  input: 'images' | 'flat';
}

/**
 * Loads a model folder written by the trainer (`<out>/fc` or `<out>/cnn`: model.json + weights.bin), or a
 * Keras `.h5` file as the project exports one (the browser page's download), and works out from its input
 * shape which layout it takes; every problem is a UserError naming the folder or file.
 */
export async function loadTrained(dir: string): Promise<TrainedNetwork> {
  const model = dir.endsWith('.h5') ? await loadH5(dir) : await loadFolder(dir);
  return withLayout(model, dir);
}

async function loadH5(path: string): Promise<tfl.LayersModel> {
  const isFile = await stat(path).then(
    (s) => s.isFile(),
    () => false,
  );
  if (!isFile) throw new UserError(`${path} is not a file (expected a Keras .h5 file, such as the page's fc.h5)`);
  try {
    return await loadKerasH5(path);
  } catch (error) {
    throw new UserError(`${path} holds no model this project can read (${(error as Error).message.split('\n')[0]})`);
  }
}

async function loadFolder(dir: string): Promise<tfl.LayersModel> {
  const isDir = await stat(dir).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (!isDir) throw new UserError(`${dir} is not a model folder (expected one written by npm run train, such as runs/<time>/cnn)`);
  const hasModel = await stat(join(dir, 'model.json')).then(
    (s) => s.isFile(),
    () => false,
  );
  if (!hasModel) throw new UserError(`${dir} has no model.json (expected a model folder written by npm run train)`);
  let model: tfl.LayersModel;
  try {
    model = await tfl.loadLayersModel(modelFolder(dir));
  } catch (error) {
    throw new UserError(`${dir} holds a model that cannot be loaded (${(error as Error).message.split('\n')[0]})`);
  }
  return model;
}

function withLayout(model: tfl.LayersModel, dir: string): TrainedNetwork {
  const inShape = model.inputs[0]!.shape.slice(1);
  const outShape = model.outputs[0]!.shape.slice(1);
  const shape = (s: (number | null)[]): string => `[${s.join(', ')}]`;
  if (model.inputs.length !== 1 || outShape.length !== 1 || outShape[0] !== NUM_CLASSES) {
    throw new UserError(`${dir} holds a model with output ${shape(outShape)}, not one of the ${NUM_CLASSES} classes`);
  }
  if (inShape.length === 1 && inShape[0] === PIXELS) return { model, input: 'flat' };
  if (inShape.length === 3 && inShape[0] === IMAGE_SIZE && inShape[1] === IMAGE_SIZE && inShape[2] === 1) return { model, input: 'images' };
  throw new UserError(`${dir} holds a model taking input ${shape(inShape)}, not [${PIXELS}] or [${IMAGE_SIZE}, ${IMAGE_SIZE}, 1]`);
}
