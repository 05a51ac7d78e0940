// Times training steps of one network on one backend, in a process of its own, and prints one JSON line.
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../src/backends/select.js';
import { stockWasmTrainsConv } from '../src/backends/tfjs_wasm.js';
import type { BackendName } from '../src/backends/types.js';
import { IMAGE_SIZE, NUM_CLASSES, PIXELS } from '../src/data/dataset.js';
import { buildModel, type ModelName, takesImages } from '../src/models/registry.js';
import { compileForTraining } from '../src/train/compile.js';
import { trainStep } from '../src/train/train_step.js';
import { median } from './stats.js';

const [backendName, modelName, batchesArg, threadsArg, batchArg] = process.argv.slice(2) as [BackendName, ModelName, string, string, string];
const batches = Number(batchesArg);
const batchSize = Number(batchArg);

async function run(): Promise<object> {
  const { backend } = await selectBackend(backendName, { threads: Number(threadsArg) });
  if (backendName === 'tfjs-wasm' && modelName === 'cnn' && !stockWasmTrainsConv()) {
    return { error: 'cannot train: no Conv2DBackpropFilter kernel' };
  }
  const model = buildModel(modelName, 1);
  compileForTraining(model, 0.001);
  const shape = takesImages(modelName) ? [batchSize, IMAGE_SIZE, IMAGE_SIZE, 1] : [batchSize, PIXELS];
  const xs = tf.randomUniform(shape, 0, 1, 'float32', 1);
  const ys = tf.oneHot(tf.randomUniform([batchSize], 0, NUM_CLASSES, 'int32', 2) as tf.Tensor1D, NUM_CLASSES);
  const times: number[] = [];
  // Two warm-up steps: the first compiles kernels and grows the heap, the second settles the optimizer state.
  for (let i = 0; i < batches + 2; i++) {
    const start = performance.now();
    trainStep(model, xs, ys);
    if (i >= 2) times.push(performance.now() - start);
  }
  await backend.close();
  return { msPerBatch: median(times), minMs: Math.min(...times), maxMs: Math.max(...times), detail: backend.detail, threads: backend.threads };
}

run().then(
  (result) => process.stdout.write(`${JSON.stringify(result)}\n`),
  (error: unknown) => process.stdout.write(`${JSON.stringify({ error: error instanceof Error ? error.message : String(error) })}\n`),
);
