// How fast are our Conv2D-family and pooling kernels at the CNN's exact shapes (batch 128), on 1 and 2
// threads? Runs each tfjs kernel through the engine on our backend, alternating thread counts per round
// so that load from other processes on the shared machine hits both alike; prints medians and GFLOP/s.
// On one thread it also prints the process's CPU time per call, which other processes cannot inflate.
// Run: npx tsx bench/kernels/conv.bench.ts [--isa=relaxed|simd] [--batch=N] [--rounds=N] [--filter=TEXT]
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { openWasm } from '../../src/backends/wasm.js';
import { BATCH, CNN_CONV_LAYERS, CNN_POOLS, THREAD_COUNTS } from '../../test/support/kernels/network_shapes.js';
import { median } from '../stats.js';

const { values: args } = parseArgs({
  options: {
    isa: { type: 'string' },
    batch: { type: 'string', default: String(BATCH) },
    rounds: { type: 'string', default: '3' },
    reps: { type: 'string', default: '5' },
    filter: { type: 'string' },
  },
});
const batch = Number(args.batch);
const kernelIsa = args.isa === 'simd' || args.isa === 'relaxed' ? args.isa : undefined;

/** One benchmarked kernel call: its label, work, and how to run it on tensors of the current backend. */
interface Case {
  name: string;
  gflop: number;
  make(): { run(): void; dispose(): void };
}

function uniform(shape: number[], seed: number, relu = false): tf.Tensor {
  const t = tf.randomUniform(shape, -0.5, 0.5, 'float32', seed);
  return relu ? tf.tidy(() => tf.relu(t)) : t;
}

function kernelCase(name: string, gflop: number, kernel: string, shapes: Record<string, number[]>, attrs: object): Case {
  return {
    name,
    gflop,
    make() {
      const inputs: tf.NamedTensorMap = {};
      Object.entries(shapes).forEach(([key, shape], i) => {
        inputs[key] = uniform(shape, i + 1, key === 'input');
      });
      const run = (): void => (tf.engine().runKernel(kernel, inputs, attrs as tf.NamedAttrMap) as tf.Tensor).dispose();
      return { run, dispose: () => tf.dispose(Object.values(inputs)) };
    },
  };
}

const conv = (side: number, cin: number, cout: number, i: number): Case[] => {
  const out = side - 2;
  const x = [batch, side, side, cin];
  const w = [3, 3, cin, cout];
  const dy = [batch, out, out, cout];
  const gflop = (2 * batch * out * out * 9 * cin * cout) / 1e9;
  const base = { strides: [1, 1], pad: 'valid', dataFormat: 'NHWC' };
  const layer = `conv${i + 1} ${side}x${side}x${cin}->${cout}`;
  return [
    kernelCase(`${layer} FusedConv2D`, gflop, 'FusedConv2D', { x, filter: w, bias: [cout] }, { ...base, dilations: 1, activation: 'linear' }),
    kernelCase(`${layer} BackpropInput`, gflop, 'Conv2DBackpropInput', { dy, filter: w }, { ...base, inputShape: x }),
    kernelCase(`${layer} BackpropFilter`, gflop, 'Conv2DBackpropFilter', { x, dy }, { ...base, filterShape: w }),
  ];
};

const pool = (side: number, c: number, f: number): Case[] => {
  const out = Math.floor(side / f);
  const attrs = { filterSize: [f, f], strides: [f, f], pad: 'valid' };
  const name = `pool ${side}x${side}x${c}/${f}`;
  return [
    kernelCase(`${name} MaxPool`, 0, 'MaxPool', { x: [batch, side, side, c] }, attrs),
    kernelCase(`${name} MaxPoolGrad`, 0, 'MaxPoolGrad', { dy: [batch, out, out, c], input: [batch, side, side, c], output: [batch, out, out, c] }, attrs),
  ];
};

const CASES: Case[] = [
  ...CNN_CONV_LAYERS.flatMap(([side, cin, cout], i) => conv(side, cin, cout, i)),
  // Each pool reads its conv layer's output (side - 2).
  ...CNN_CONV_LAYERS.flatMap(([side, , cout], i) => {
    const window = CNN_POOLS[i]?.pool;
    return window === undefined ? [] : pool(side - 2, cout, window);
  }),
].filter((c) => args.filter === undefined || c.name.includes(args.filter));

const times = new Map<string, number[]>();
const cpuTimes = new Map<string, number[]>();
for (let round = 0; round < Number(args.rounds); round++) {
  for (const threads of THREAD_COUNTS) {
    await openWasm({ threads, ...(kernelIsa ? { kernelIsa } : {}) });
    for (const c of CASES) {
      const op = c.make();
      op.run();
      const key = `${c.name}|${threads}`;
      const list = times.get(key) ?? [];
      const cpu = cpuTimes.get(key) ?? [];
      for (let i = 0; i < Number(args.reps); i++) {
        const cpuStart = process.cpuUsage();
        const start = performance.now();
        op.run();
        list.push(performance.now() - start);
        const used = process.cpuUsage(cpuStart);
        cpu.push((used.user + used.system) / 1000);
      }
      times.set(key, list);
      cpuTimes.set(key, cpu);
      op.dispose();
    }
  }
}

console.log(`batch ${batch}, ${kernelIsa ?? 'best'} ISA; median ms (GFLOP/s) over ${args.rounds} rounds x ${args.reps} reps`);
console.log(`${'kernel'.padEnd(40)}${'1 thread'.padStart(18)}${'1T CPU'.padStart(18)}${'2 threads'.padStart(18)}${'x'.padStart(7)}`);
let total1 = 0;
let total2 = 0;
for (const c of CASES) {
  const t1 = median(times.get(`${c.name}|1`)!);
  const t2 = median(times.get(`${c.name}|2`)!);
  const cpu1 = median(cpuTimes.get(`${c.name}|1`)!);
  total1 += t1;
  total2 += t2;
  const cell = (t: number): string => `${t.toFixed(2)}${c.gflop > 0 ? ` (${(c.gflop / (t / 1000)).toFixed(1)})` : ''}`;
  console.log(`${c.name.padEnd(40)}${cell(t1).padStart(18)}${cell(cpu1).padStart(18)}${cell(t2).padStart(18)}${(t1 / t2).toFixed(2).padStart(7)}`);
}
console.log(
  `${'total'.padEnd(40)}${total1.toFixed(1).padStart(18)}${''.padStart(18)}${total2.toFixed(1).padStart(18)}${(total1 / total2).toFixed(2).padStart(7)}`,
);
process.exit(0);
