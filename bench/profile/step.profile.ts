// Profiles one training step of each network (the notebook's through trainStep, as training runs it; the zoo's
// through trainOnBatch, as model.fit runs it): which tfjs kernels run, how long each takes, and where the main
// thread spends the rest of the step. Rerun it as kernels improve:
//   npx tsx bench/profile/step.profile.ts [--model=fc,cnn,lenet,vgg,mlp|both|zoo|all] [--backend=wasm] [--threads=2] [--steps=5] [--js]
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../../src/backends/select.js';
import { BACKEND_NAMES, type BackendName } from '../../src/backends/types.js';
import { NUM_CLASSES } from '../../src/data/dataset.js';
import { type BenchModel, benchSampleShape, makeBenchStep, parseBenchModels } from '../bench_models.js';
import { median } from '../stats.js';
import { insideKernels, outsideKernels, type SampleRow, sampleCpu } from './js_samples.js';
import { byKernel, KERNEL_FRAME, type KernelRow, timeKernels } from './kernel_timer.js';

/** JS functions whose inclusive time between kernels is worth a line of its own. */
const WATCHED = ['randomUniform_', 'dropout_', 'applyGradients', 'variableGrads', 'statelessDropout'];

const { values } = parseArgs({
  options: {
    model: { type: 'string', default: 'both' },
    backend: { type: 'string', default: 'wasm' },
    threads: { type: 'string', default: '2' },
    steps: { type: 'string', default: '5' },
    'batch-size': { type: 'string', default: '128' },
    top: { type: 'string', default: '25' },
    js: { type: 'boolean', default: false },
  },
});
const backendName = values.backend as BackendName;
if (!BACKEND_NAMES.includes(backendName)) throw new Error(`unknown backend "${values.backend}"`);
const models = parseBenchModels(values.model);
const steps = Number(values.steps);
const batchSize = Number(values['batch-size']);
const top = Number(values.top);

const { backend, line } = await selectBackend(backendName, { threads: Number(values.threads) });
console.log(line);
for (const name of models) await profileModel(name);
await backend.close();

async function profileModel(name: BenchModel): Promise<void> {
  const xs = tf.randomUniform([batchSize, ...benchSampleShape(name)], 0, 1, 'float32', 1);
  const ys = tf.oneHot(tf.randomUniform([batchSize], 0, NUM_CLASSES, 'int32', 2) as tf.Tensor1D, NUM_CLASSES);
  const model = makeBenchStep(name, xs, ys);
  const step = async (): Promise<number> => {
    const start = performance.now();
    await model.step();
    return performance.now() - start;
  };
  // Two warm-up steps: the first compiles and grows the heap, the second creates the optimizer's state.
  await step();
  await step();
  const plain: number[] = [];
  for (let i = 0; i < steps; i++) plain.push(await step());

  const timer = timeKernels(tf.getBackend());
  const wrappedWall: number[] = [];
  for (let i = 0; i < steps; i++) wrappedWall.push(await step());
  const rows = timer.rows().map((row) => ({ ...row, calls: row.calls / steps, ms: row.ms / steps }));
  const kernelMs = timer.totalMs() / steps;
  const timerMs = timer.overheadMs() / steps;
  const stepMs = median(plain);
  const wallMs = wrappedWall.reduce((a, b) => a + b, 0) / steps;

  console.log(
    `\n== ${name}: batch ${batchSize}, ${tf.getBackend()}, step median ${stepMs.toFixed(1)} ms over ${steps} ` +
      `(min ${Math.min(...plain).toFixed(1)}, max ${Math.max(...plain).toFixed(1)})`,
  );
  console.log(
    `kernels ${kernelMs.toFixed(1)} ms/step, outside kernels ${(wallMs - kernelMs - timerMs).toFixed(1)} ms/step ` +
      `(timed steps average ${wallMs.toFixed(1)} ms, of which the timer's own bookkeeping ${timerMs.toFixed(1)} ms)\n`,
  );
  printKernels(byKernel(rows), wallMs, 'by kernel (shapes: the costliest)');
  printKernels([...rows].sort((a, b) => b.ms - a.ms).slice(0, top), wallMs, `top ${top} by kernel and input shapes`);

  if (values.js) {
    timer.reset();
    const profile = await sampleCpu(async () => {
      for (let i = 0; i < steps; i++) await step();
    });
    const outside = outsideKernels(profile, KERNEL_FRAME, steps, WATCHED);
    console.log(`\nmain thread outside kernels, sampled: ${outside.totalMs.toFixed(1)} ms/step`);
    printSamples(outside.areas, 'by area (self time)', 10);
    printSamples(
      outside.inclusive.filter((row) => row.ms > 0),
      'watched functions (inclusive time)',
      WATCHED.length,
    );
    printSamples(outside.functions, 'by function (self time)', 15);
    const inside = insideKernels(profile, KERNEL_FRAME, steps);
    console.log(`\nmain thread inside kernel calls, sampled: ${inside.totalMs.toFixed(1)} ms/step`);
    printSamples(inside.areas, 'by area (self time; wasm is kernel code)', 6);
    printSamples(inside.functions, 'JS by function (self time: fork-join waits and per-call bookkeeping)', 15);
  }
  timer.stop();
  tf.dispose([xs, ys]);
  model.dispose();
}

function printKernels(rows: readonly KernelRow[], stepMs: number, title: string): void {
  console.log(title);
  console.log(`${'kernel'.padEnd(24)}${'calls'.padStart(7)}${'ms/step'.padStart(10)}${'%step'.padStart(7)}${'ms/call'.padStart(9)}  shapes`);
  for (const row of rows) {
    console.log(
      `${row.kernel.padEnd(24)}${fmt(row.calls, 0).padStart(7)}${fmt(row.ms, 2).padStart(10)}` +
        `${fmt((100 * row.ms) / stepMs, 1).padStart(7)}${fmt(row.ms / row.calls, 3).padStart(9)}  ${row.shapes}`,
    );
  }
  console.log('');
}

function printSamples(rows: readonly SampleRow[], title: string, count: number): void {
  console.log(title);
  for (const row of rows.slice(0, count)) console.log(`  ${fmt(row.ms, 2).padStart(8)} ms  ${row.name}`);
}

function fmt(value: number, digits: number): string {
  return value.toFixed(digits);
}
