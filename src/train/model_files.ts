import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { writeDirAtomic } from '../util/atomic_write.js';
import { modelFiles, WEIGHTS_BIN } from './model_artifacts.js';

const MODEL_JSON = 'model.json';

/**
 * Saves a model in TensorFlow.js layers format (`model.json` + `weights.bin`) into `dir`, atomically: the
 * folder appears complete or not at all.
 */
export async function saveModel(model: tfl.LayersModel, dir: string): Promise<void> {
  await writeDirAtomic(dir, async (partial) => {
    const { json, weights } = await modelFiles(model);
    await writeFile(join(partial, WEIGHTS_BIN), weights);
    await writeFile(join(partial, MODEL_JSON), json);
  });
}

/** A tfjs load handler for a folder written by `saveModel`: `tfl.loadLayersModel(modelFolder(dir))`. */
export function modelFolder(dir: string): tf.io.IOHandler {
  return {
    load: async () => {
      const json = JSON.parse(await readFile(join(dir, MODEL_JSON), 'utf8')) as tf.io.ModelJSON;
      const weights = await readFile(join(dir, WEIGHTS_BIN));
      return {
        modelTopology: json.modelTopology,
        format: json.format,
        generatedBy: json.generatedBy,
        weightSpecs: json.weightsManifest.flatMap((group) => group.weights),
        weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
      };
    },
  };
}
