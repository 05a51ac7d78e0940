// How fast are the elementwise and optimizer kernels at the shapes of a training step, on one thread and
// on all, against what stock tfjs-backend-wasm runs for the same maths (its kernels, tfjs's op-by-op
// RMSprop, tfjs's dropout with its JavaScript random numbers)? Reports the median time and the memory
// traffic it implies (every input read once, every output written once).
// Run: npx tsx bench/kernels/elementwise.bench.ts [--threads=N] [--filter=TEXT] [--time=MS]
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { Bench } from 'tinybench';
import { openStockWasm } from '../../src/backends/tfjs_wasm.js';
import type { ActiveBackend } from '../../src/backends/types.js';
import { openWasm } from '../../src/backends/wasm.js';
import { APPLY_RMSPROP } from '../../src/kernels/ops/apply_rms_prop.js';
import { statelessDropout } from '../../src/models/stateless_dropout.js';

const { values: args } = parseArgs({
  options: {
    threads: { type: 'string', default: String(availableParallelism()) },
    filter: { type: 'string' },
    time: { type: 'string', default: '300' },
  },
});

/** One benchmarked op: its inputs' shapes, how many arrays of that size it reads and writes, and the call. */
interface Op {
  name: string;
  shape: number[];
  /** Arrays of `shape` read plus written, for the GB/s column. */
  arrays: number;
  run(inputs: tf.Tensor[], ours: boolean): tf.Tensor | tf.Tensor[];
  /** Inputs it takes, all of `shape`. */
  inputs: number;
}

const RMS = { learningRate: 0.001, decay: 0.9, epsilon: 1e-7 };
let dropoutCall = 0;

const OPS: readonly Op[] = [
  { name: 'Relu', shape: [128, 52, 52, 32], arrays: 2, inputs: 1, run: ([x]) => tf.relu(x!) },
  { name: 'Relu', shape: [128, 700], arrays: 2, inputs: 1, run: ([x]) => tf.relu(x!) },
  { name: 'Relu', shape: [64, 1024], arrays: 2, inputs: 1, run: ([x]) => tf.relu(x!) },
  { name: 'Relu', shape: [256, 1024], arrays: 2, inputs: 1, run: ([x]) => tf.relu(x!) },
  { name: 'Step', shape: [128, 52, 52, 32], arrays: 2, inputs: 1, run: ([x]) => tf.step(x!) },
  { name: 'Multiply', shape: [128, 52, 52, 32], arrays: 3, inputs: 2, run: ([a, b]) => tf.mul(a!, b!) },
  { name: 'Identity', shape: [128, 52, 52, 32], arrays: 2, inputs: 1, run: ([x]) => tf.clone(x!) },
  { name: 'Sum (bias grad)', shape: [128, 52, 52, 32], arrays: 1, inputs: 1, run: ([x]) => tf.sum(x!, [0, 1, 2]) },
  { name: 'Sum (bias grad)', shape: [128, 700], arrays: 1, inputs: 1, run: ([x]) => tf.sum(x!, 0) },
  {
    name: 'Dropout 0.5',
    shape: [128, 26, 26, 32],
    arrays: 2,
    inputs: 1,
    run: ([x], ours) => (ours ? statelessDropout(x!, 0.5, 1, dropoutCall++) : tf.dropout(x!, 0.5)),
  },
  {
    name: 'Dropout 0.2',
    shape: [128, 3136],
    arrays: 2,
    inputs: 1,
    run: ([x], ours) => (ours ? statelessDropout(x!, 0.2, 1, dropoutCall++) : tf.dropout(x!, 0.2)),
  },
  {
    name: 'RMSprop update',
    shape: [3136, 700],
    arrays: 5,
    inputs: 3,
    run: ([x, ms, g], ours) => {
      if (ours) return tf.engine().runKernel(APPLY_RMSPROP, { x: x!, ms: ms!, g: g! }, RMS) as tf.Tensor[];
      // tfjs's RMSPropOptimizer.applyGradients, momentum 0, without the variable bookkeeping.
      const msNew = tf.add(tf.mul(ms!, RMS.decay), tf.mul(tf.square(g!), 1 - RMS.decay));
      const moment = tf.add(tf.mul(tf.zerosLike(x!), 0), tf.div(tf.mul(g!, RMS.learningRate), tf.sqrt(tf.add(msNew, RMS.epsilon))));
      return [tf.sub(x!, moment), msNew];
    },
  },
];

const threads = Number(args.threads);
const ops = OPS.filter((op) => args.filter === undefined || op.name.includes(args.filter));
// Stock last: starting it rebinds tfjs-backend-wasm's kernels to the stock module.
const configs: ReadonlyArray<{ label: string; ours: boolean; open(): Promise<ActiveBackend> }> = [
  { label: 'ours 1T', ours: true, open: () => openWasm({ threads: 1 }) },
  { label: `ours ${threads}T`, ours: true, open: () => openWasm({ threads }) },
  { label: 'stock 1T', ours: false, open: () => openStockWasm() },
];

const medians = new Map<string, number>();
for (const config of configs) {
  const backend = await config.open();
  for (const [i, op] of ops.entries()) {
    const inputs = Array.from({ length: op.inputs }, (_, k) => tf.randomUniform(op.shape, 0.1, 1, 'float32', 10 * i + k));
    const bench = new Bench({ time: Number(args.time), iterations: 5, warmupIterations: 2, throws: true });
    bench.add(op.name, () => tf.dispose(op.run(inputs, config.ours)));
    await bench.run();
    const result = bench.tasks[0]?.result;
    if (result !== undefined && 'latency' in result) medians.set(`${config.label} ${i}`, result.latency.p50);
    tf.dispose(inputs);
  }
  await backend.close();
}

const header = ['op', 'shape', ...configs.flatMap((c) => [`${c.label} ms`, 'GB/s'])];
console.log(header.join('\t'));
for (const [i, op] of ops.entries()) {
  const bytes = op.arrays * 4 * op.shape.reduce((a, b) => a * b, 1);
  const cells = configs.flatMap((c) => {
    const ms = medians.get(`${c.label} ${i}`);
    return ms === undefined ? ['-', '-'] : [ms.toFixed(3), (bytes / (ms * 1e6)).toFixed(1)];
  });
  console.log([op.name, `[${op.shape.join(',')}]`, ...cells].join('\t'));
}
