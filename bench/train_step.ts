// Times training steps of one network on one backend, in a process of its own, and prints one JSON line.
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../src/backends/select.js';
import { stockWasmTrainsConv } from '../src/backends/tfjs_wasm.js';
import type { BackendName } from '../src/backends/types.js';
import { NUM_CLASSES } from '../src/data/dataset.js';
import { type BenchModel, benchSampleShape, makeBenchStep } from './bench_models.js';
import { median } from './stats.js';

const [backendName, modelName, batchesArg, threadsArg, batchArg] = process.argv.slice(2) as [BackendName, BenchModel, string, string, string];
const batches = Number(batchesArg);
const batchSize = Number(batchArg);

async function run(): Promise<object> {
  const { backend } = await selectBackend(backendName, { threads: Number(threadsArg) });
  const sampleShape = benchSampleShape(modelName);
  if (backendName === 'tfjs-wasm' && sampleShape.length === 3 && !stockWasmTrainsConv()) {
    return { error: 'cannot train: no Conv2DBackpropFilter kernel' };
  }
  const xs = tf.randomUniform([batchSize, ...sampleShape], 0, 1, 'float32', 1);
  const ys = tf.oneHot(tf.randomUniform([batchSize], 0, NUM_CLASSES, 'int32', 2) as tf.Tensor1D, NUM_CLASSES);
  const { step } = makeBenchStep(modelName, xs, ys);
  const times: number[] = [];
  // Two warm-up steps: the first compiles kernels and grows the heap, the second settles the optimizer state.
  for (let i = 0; i < batches + 2; i++) {
    const start = performance.now();
    await step();
    if (i >= 2) times.push(performance.now() - start);
  }
  await backend.close();
  return { msPerBatch: median(times), minMs: Math.min(...times), maxMs: Math.max(...times), detail: backend.detail, threads: backend.threads };
}

run().then(
  (result) => process.stdout.write(`${JSON.stringify(result)}\n`),
  (error: unknown) => process.stdout.write(`${JSON.stringify({ error: error instanceof Error ? error.message : String(error) })}\n`),
);
