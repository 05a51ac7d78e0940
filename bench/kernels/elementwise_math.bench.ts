// What one element of Tanh, Sigmoid, Elu costs on one thread, at a LeNet activation's size: the median of a
// few runs of each op on N(0, 2) inputs, in ns per element of wall time and of this process's CPU time (on one
// thread the kernels run on the calling thread, so CPU time is less disturbed by a busy shared machine). The
// backend runs kernels synchronously: no readback is timed. Relu gives the floor of a memory-bound kernel.
// Run: npx tsx bench/kernels/elementwise_math.bench.ts [--threads=1] [--kernels=relaxed|simd]
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { openWasm } from '../../src/backends/wasm.js';

const { values: args } = parseArgs({
  options: { threads: { type: 'string', default: '1' }, kernels: { type: 'string' }, reps: { type: 'string', default: '9' } },
});
const kernelIsa = args.kernels === 'simd' || args.kernels === 'relaxed' ? args.kernels : undefined;
const backend = await openWasm({ threads: Number(args.threads), kernelIsa });
const shape = [128, 28, 28, 16];
const x = tf.randomNormal(shape, 0, 2, 'float32', 1);
const n = x.size;
const ops: Array<[string, (t: tf.Tensor) => tf.Tensor]> = [
  ['Tanh', (t) => tf.tanh(t)],
  ['Sigmoid', (t) => tf.sigmoid(t)],
  ['Elu', (t) => tf.elu(t)],
  ['Relu (floor: memory-bound)', (t) => tf.relu(t)],
];
for (const [name, op] of ops) {
  const times: number[] = [];
  const cpu: number[] = [];
  for (let rep = 0; rep < Number(args.reps); rep++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const y = op(x);
    const c1 = process.cpuUsage(c0);
    times.push(performance.now() - t0);
    cpu.push((c1.user + c1.system) / 1000);
    y.dispose();
  }
  times.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  const median = times[times.length >> 1]!;
  const cpuMedian = cpu[cpu.length >> 1]!;
  console.log(
    `${name} [${shape.join(',')}] ${backend.detail}: median ${median.toFixed(2)} ms, ${((median * 1e6) / n).toFixed(2)} ns/element (min ${((times[0]! * 1e6) / n).toFixed(2)}); CPU time median ${((cpuMedian * 1e6) / n).toFixed(2)} ns/element`,
  );
}
x.dispose();
await backend.close();
