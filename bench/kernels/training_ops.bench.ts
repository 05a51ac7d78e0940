// How many GFLOP/s do the matmuls and convolutions of a training step reach through tfjs on our wasm
// backend (1 thread and all threads) and on stock tfjs-backend-wasm, and how far is that from the FMA
// ceiling? Times whatever kernels are registered, so it follows the kernels as they land.
// Run: npx tsx bench/kernels/training_ops.bench.ts [--threads=N] [--isa=relaxed|simd] [--filter=TEXT] [--batch=N] [--time=MS] [--rounds=N]
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { Bench } from 'tinybench';
import { openStockWasm } from '../../src/backends/tfjs-wasm.js';
import type { ActiveBackend } from '../../src/backends/types.js';
import { openWasm } from '../../src/backends/wasm.js';
import { formatTrainingOpsTable, mergeRounds, type Cell } from './training-ops-table.js';
import { TRAINING_OPS, type TrainingOp } from './training-ops.js';

/** A first call slower than this reruns a sliceable op on SLICE images, so slow kernels cannot stall the run. */
const SLOW_MS = 1500;
const SLICE = 16;

const { values: args } = parseArgs({
  options: {
    threads: { type: 'string', default: String(availableParallelism()) },
    isa: { type: 'string' },
    filter: { type: 'string' },
    batch: { type: 'string', default: '128' },
    time: { type: 'string', default: '400' },
    rounds: { type: 'string', default: '1' },
  },
});
const threads = Number(args.threads);
const batch = Number(args.batch);
const kernelIsa = args.isa === 'simd' || args.isa === 'relaxed' ? args.isa : undefined;
const ops = TRAINING_OPS.filter((op) => args.filter === undefined || `${op.layer} ${op.op}`.includes(args.filter));

interface Config {
  label: string;
  open(): Promise<ActiveBackend>;
}

// Stock goes last: starting it reruns the setup of tfjs-backend-wasm's kernels, which binds them to the
// stock module; our backend shares those kernel functions for the ops it does not implement itself.
const CONFIGS: readonly Config[] = [
  { label: 'ours 1T', open: () => openWasm({ threads: 1, ...(kernelIsa ? { kernelIsa } : {}) }) },
  { label: `ours ${threads}T`, open: () => openWasm({ threads, ...(kernelIsa ? { kernelIsa } : {}) }) },
  { label: 'stock 1T', open: () => openStockWasm() },
];

async function measure(op: TrainingOp): Promise<Cell> {
  if (tf.getKernel(op.kernel, tf.getBackend()) === undefined) return { note: 'no kernel' };
  let images = batch;
  let prepared = op.prepare(images);
  try {
    const start = performance.now();
    prepared.run();
    if (op.sliceable && performance.now() - start > SLOW_MS && images > SLICE) {
      prepared.dispose();
      images = SLICE;
      prepared = op.prepare(images);
    }
    // At least 3 timed calls and `time` ms; the median, since other work on the 2 cores stretches some calls.
    const bench = new Bench({ time: Number(args.time), iterations: 3, warmupTime: 100, warmupIterations: 1, throws: true });
    bench.add(op.op, prepared.run);
    await bench.run();
    const result = bench.tasks[0]?.result;
    if (result === undefined || !('latency' in result)) return { note: 'no result' };
    return { gflops: op.size(images).gflop / (result.latency.p50 * 1e-3), images };
  } catch (error) {
    return { note: `error: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]}` };
  } finally {
    prepared.dispose();
  }
}

const cells = new Map<string, Cell[]>();
const threadsOf = new Map<string, number>();
const record = (label: string, op: TrainingOp, cell: Cell): void => {
  const key = `${label}|${op.layer}|${op.op}`;
  cells.set(key, [...(cells.get(key) ?? []), cell]);
};
const rounds = Math.max(1, Number(args.rounds));
// Rounds alternate our two configurations so that load from other processes falls on both alike.
const schedule = [...Array.from({ length: rounds }, () => CONFIGS.slice(0, 2)).flat(), ...Array.from({ length: rounds }, () => CONFIGS[2]!)];
for (const config of schedule) {
  let backend: ActiveBackend;
  try {
    backend = await config.open();
  } catch (error) {
    // A backend that cannot start (say, a kernel build in progress) leaves its column empty, not the run dead.
    const note = `error: ${config.label} did not start: ${error instanceof Error ? error.message : String(error)}`;
    for (const op of ops) record(config.label, op, { note });
    continue;
  }
  threadsOf.set(config.label, backend.threads);
  process.stderr.write(`${config.label}: ${backend.detail}\n`);
  for (const op of ops) {
    const cell = await measure(op);
    record(config.label, op, cell);
    process.stderr.write(`  ${op.layer} ${op.op}: ${'gflops' in cell ? cell.gflops.toFixed(2) : cell.note}\n`);
  }
  await backend.close();
}

const [one, all, stock] = CONFIGS.map((c) => c.label) as [string, string, string];
const merged = (label: string, op: TrainingOp): Cell | undefined => mergeRounds(cells.get(`${label}|${op.layer}|${op.op}`) ?? []);
process.stdout.write(formatTrainingOpsTable(ops, { one, all, stock, threads: threadsOf }, merged, batch, SLICE, SLOW_MS));
