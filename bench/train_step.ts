// Times training steps of one network on one backend, in a process of its own, and prints one JSON line.
import { selectBackend } from '../src/backends/select.js';
import { stockWasmTrainsConv } from '../src/backends/tfjs_wasm.js';
import type { BackendName } from '../src/backends/types.js';
import { type BenchModel, benchSampleShape } from './bench_models.js';
import { timeBenchSteps } from './time_steps.js';

const [backendName, modelName, batchesArg, threadsArg, batchArg] = process.argv.slice(2) as [BackendName, BenchModel, string, string, string];
const batches = Number(batchesArg);
const batchSize = Number(batchArg);

async function run(): Promise<object> {
  const { backend } = await selectBackend(backendName, { threads: Number(threadsArg) });
  const sampleShape = benchSampleShape(modelName);
  if (backendName === 'tfjs-wasm' && sampleShape.length === 3 && !stockWasmTrainsConv()) {
    return { error: 'cannot train: no Conv2DBackpropFilter kernel' };
  }
  const times = await timeBenchSteps(modelName, batches, batchSize);
  await backend.close();
  return { ...times, detail: backend.detail, threads: backend.threads };
}

run().then(
  (result) => process.stdout.write(`${JSON.stringify(result)}\n`),
  (error: unknown) => process.stdout.write(`${JSON.stringify({ error: error instanceof Error ? error.message : String(error) })}\n`),
);
