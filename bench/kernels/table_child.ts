// One column of the kernel table: times every training op (network_ops.ts) on one backend configuration,
// in a process of its own (tfjs has one global engine), and prints one JSON line of KernelColumn.
// Run by table.ts: npx tsx bench/kernels/table_child.ts <wasm|tfjs-wasm> <threads> <timeMs> <minCalls> <batch> [filter]
import * as tf from '@tensorflow/tfjs-core';
import { Bench } from 'tinybench';
import { selectBackend } from '../../src/backends/select.js';
import type { BackendName } from '../../src/backends/types.js';
import { NETWORK_OPS } from './network_ops.js';
import type { KernelCell, KernelColumn } from './table_cells.js';
import { opId, type TrainingOp } from './training_ops.js';

/** A sliceable op whose full batch would take longer than this per call is timed on SLICE images, so slow stock kernels cannot stall the run. */
const SLOW_MS = 1500;
const SLICE = 16;

const [backendName, threadsArg, timeArg, callsArg, batchArg, filter] = process.argv.slice(2) as [
  BackendName,
  string,
  string,
  string,
  string,
  string | undefined,
];
const timeMs = Number(timeArg);
const minCalls = Number(callsArg);
const batch = Number(batchArg);

/** The value below which a share `q` of the sorted samples lie, interpolated. */
function quantile(sorted: readonly number[], q: number): number {
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  const high = Math.min(low + 1, sorted.length - 1);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (at - low);
}

async function measure(op: TrainingOp): Promise<KernelCell> {
  if (op.kernel !== undefined && tf.getKernel(op.kernel, tf.getBackend()) === undefined) return { note: 'none' };
  // A sliceable op first runs on a slice: a stock convolution at the full batch takes seconds per call.
  let images = op.sliceable ? Math.min(SLICE, batch) : batch;
  let prepared: ReturnType<TrainingOp['prepare']> | undefined;
  try {
    // Inside the try: the stock backend's heap can run out while making operands, which must cost one
    // cell, not the column.
    prepared = op.prepare(images);
    const start = performance.now();
    prepared.run();
    if (images < batch && ((performance.now() - start) * batch) / images <= SLOW_MS) {
      prepared.dispose();
      images = batch;
      prepared = op.prepare(images);
    }
    // Warm: V8 tiers WASM up and our pool's threads are awake, as between back-to-back kernels in a step.
    // At least `minCalls` timed calls and `timeMs`; the median, since other work on the shared cores stretches some calls.
    const bench = new Bench({
      time: timeMs,
      iterations: minCalls,
      warmupTime: Math.min(100, timeMs),
      warmupIterations: minCalls > 3 ? 2 : 1,
      retainSamples: true,
      throws: true,
    });
    bench.add(op.op, prepared.run);
    await bench.run();
    const result = bench.tasks[0]?.result;
    if (result === undefined || !('latency' in result) || result.latency.samples === undefined) return { note: 'no result' };
    const sorted = [...result.latency.samples].sort((a, b) => a - b);
    const { p50, min, max } = result.latency;
    return { ms: p50, q1: quantile(sorted, 0.25), q3: quantile(sorted, 0.75), min, max, samples: sorted.length, images };
  } catch (error) {
    return { note: `error: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]}` };
  } finally {
    prepared?.dispose();
  }
}

async function main(): Promise<KernelColumn> {
  const { backend } = await selectBackend(backendName, { threads: Number(threadsArg) });
  const cells: Record<string, KernelCell> = {};
  for (const op of NETWORK_OPS) {
    const id = opId(op);
    if (filter !== undefined && !id.replaceAll('|', ' ').includes(filter)) continue;
    cells[id] = await measure(op);
    const cell = cells[id]!;
    process.stderr.write(`  ${backend.detail}: ${id.replaceAll('|', ' ')}: ${'ms' in cell ? `${cell.ms.toFixed(3)} ms` : cell.note}\n`);
  }
  await backend.close();
  return { detail: backend.detail, threads: backend.threads, cells };
}

main().then(
  (column) => process.stdout.write(`${JSON.stringify(column)}\n`),
  (error: unknown) => process.stdout.write(`${JSON.stringify({ error: error instanceof Error ? error.message : String(error) })}\n`),
);
