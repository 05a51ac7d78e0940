// How many GFLOP/s do the matmuls and convolutions of a training step reach through tfjs on our wasm
// backend (1 thread and all threads) and on stock tfjs-backend-wasm, and how far is that from the FMA
// ceiling? Times whatever kernels are registered, so it follows the kernels as they land.
// Run: npx tsx bench/kernels/training_ops.bench.ts [--threads=N] [--isa=relaxed|simd] [--filter=TEXT] [--batch=N] [--time=MS]
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { Bench } from 'tinybench';
import { openStockWasm } from '../../src/backends/tfjs-wasm.js';
import type { ActiveBackend } from '../../src/backends/types.js';
import { openWasm } from '../../src/backends/wasm.js';
import { TRAINING_OPS, type TrainingOp } from './training-ops.js';

/** Published relaxed-SIMD FMA sgemm in Node, one thread: 37-42 GFLOP/s (FACTS.md). */
const CEILING_PER_THREAD = 40;
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
  },
});
const threads = Number(args.threads);
const batch = Number(args.batch);
const kernelIsa = args.isa === 'simd' || args.isa === 'relaxed' ? args.isa : undefined;
const ops = TRAINING_OPS.filter((op) => args.filter === undefined || `${op.layer} ${op.op}`.includes(args.filter));

/** One measurement: GFLOP/s (and the images it ran on when sliced), or why there is none. */
type Cell = { gflops: number; images: number } | { note: string };

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

const cells = new Map<string, Cell>();
const threadsOf = new Map<string, number>();
for (const config of CONFIGS) {
  let backend: ActiveBackend;
  try {
    backend = await config.open();
  } catch (error) {
    // A backend that cannot start (say, a kernel build in progress) leaves its column empty, not the run dead.
    const note = `error: ${config.label} did not start: ${error instanceof Error ? error.message : String(error)}`;
    for (const op of ops) cells.set(`${config.label}|${op.layer}|${op.op}`, { note });
    continue;
  }
  threadsOf.set(config.label, backend.threads);
  process.stderr.write(`${config.label}: ${backend.detail}\n`);
  for (const op of ops) {
    const cell = await measure(op);
    cells.set(`${config.label}|${op.layer}|${op.op}`, cell);
    process.stderr.write(`  ${op.layer} ${op.op}: ${'gflops' in cell ? cell.gflops.toFixed(2) : cell.note}\n`);
  }
  await backend.close();
}

function show(cell: Cell | undefined): string {
  if (cell === undefined) return '-';
  if (!('gflops' in cell)) return cell.note.startsWith('error') ? 'error' : cell.note;
  return `${cell.gflops.toFixed(cell.gflops < 10 ? 2 : 1)}${cell.images === batch ? '' : '*'}`;
}

function ofCeiling(label: string, cell: Cell | undefined): string {
  if (cell === undefined || !('gflops' in cell)) return '-';
  return `${((100 * cell.gflops) / (CEILING_PER_THREAD * (threadsOf.get(label) ?? 1))).toFixed(0)}%`;
}

const [one, all, stock] = CONFIGS.map((c) => c.label) as [string, string, string];
const header = ['layer', 'op', 'shape (MxKxN | NHWC * HWIO)', 'GFLOP', `${one}`, `${all}`, `${stock}`, `${one} %ceil`, `${all} %ceil`];
const rows = ops.map((op) => {
  const at = (label: string): Cell | undefined => cells.get(`${label}|${op.layer}|${op.op}`);
  const size = op.size(batch);
  return [op.layer, `${op.op}${op.inTraining ? '' : ' †'}`, size.shape, size.gflop.toFixed(3), show(at(one)), show(at(all)), show(at(stock)), ofCeiling(one, at(one)), ofCeiling(all, at(all))];
});
const table = [header, ...rows];
const widths = header.map((_, c) => Math.max(...table.map((row) => row[c]!.length)));
console.log(`\nGFLOP/s at the median call, batch ${batch}; %ceil = share of ${CEILING_PER_THREAD} GFLOP/s per thread (Node ${process.version})`);
for (const row of table) console.log(row.map((cell, c) => cell.padEnd(widths[c]!)).join('  ').trimEnd());
console.log('GFLOP counts a direct convolution or matmul; a kernel doing fewer multiplications (Winograd) can pass the ceiling');
console.log(`* timed on ${SLICE} images: the full batch took over ${SLOW_MS} ms per call`);
console.log('† not run in a training step: tfjs computes no gradient towards the network input');
console.log('no kernel: the backend has no kernel for the op (stock tfjs-backend-wasm lacks Conv2DBackpropFilter)');
const errors = new Map<string, string[]>();
for (const [key, cell] of cells) {
  if ('note' in cell && cell.note.startsWith('error')) errors.set(cell.note, [...(errors.get(cell.note) ?? []), key.replaceAll('|', ' ')]);
}
for (const [note, where] of errors) console.log(`${note} (${where.length === 1 ? where[0] : `${where.length} cells, first ${where[0]}`})`);
