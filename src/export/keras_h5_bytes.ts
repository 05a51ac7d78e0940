// A model as a Keras `.h5` file's bytes, made in memory with no file system: the browser page offers them
// as a download. h5wasm's browser build carries its WebAssembly inside its script, so nothing is fetched;
// it is imported only when a file is made, so the page's scripts load without it.
import type * as tfl from '@tensorflow/tfjs-layers';
import { kerasModelConfig } from './keras_config.js';
import { writeKerasModel } from './keras_h5_layout.js';

let made = 0;

/** The file `saveKerasH5` writes, as bytes: written into h5wasm's in-memory file system, read back, removed. */
export async function kerasH5Bytes(model: tfl.LayersModel): Promise<Uint8Array> {
  const modelConfig = kerasModelConfig(model);
  const { default: h5wasm } = await import('h5wasm');
  const { FS } = await h5wasm.ready;
  const path = `/model-${++made}.h5`;
  try {
    const file = new h5wasm.File(path, 'w');
    try {
      writeKerasModel(file, model, JSON.stringify(modelConfig));
    } finally {
      file.close();
    }
    return FS.readFile(path);
  } finally {
    if (FS.analyzePath(path).exists) FS.unlink(path);
  }
}
