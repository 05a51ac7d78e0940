// A model's two files in memory, with no file system: the trainer writes them (model_files.ts) and the
// browser page offers them as downloads.
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';

/** The weights file `model.json` names. */
export const WEIGHTS_BIN = 'weights.bin';

/** A model in TensorFlow.js layers format: `model.json`'s text and `weights.bin`'s bytes, which it names. */
export interface ModelFiles {
  json: string;
  weights: Uint8Array;
}

/** The two files `saveModel` writes, in memory. */
export async function modelFiles(model: tfl.LayersModel): Promise<ModelFiles> {
  let files: ModelFiles | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const json: tf.io.ModelJSON = {
        modelTopology: artifacts.modelTopology as tf.io.ModelJSON['modelTopology'],
        format: 'layers-model',
        generatedBy: artifacts.generatedBy,
        convertedBy: null,
        weightsManifest: [{ paths: [`./${WEIGHTS_BIN}`], weights: artifacts.weightSpecs ?? [] }],
      };
      files = { json: JSON.stringify(json), weights: new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData)) };
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    }),
  );
  if (files === undefined) throw new Error('tfjs saved the model without handing over its artifacts');
  return files;
}
