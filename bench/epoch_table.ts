// Prints the epoch bench's rows as an aligned table with each backend's ratios to stock tfjs-wasm and to PyTorch.
import type { BenchModel } from './bench_models.js';
import { isBrowserBackend } from './browser_bench.js';
import type { BenchBackend } from './step_runner.js';

/** One (model, backend) measurement, extrapolated to the notebook's epoch. */
export interface EpochRow {
  model: BenchModel;
  backend: BenchBackend;
  msPerBatch: number | null;
  epochSeconds: number | null;
  note: string;
}

/** Renders the rows: ms/batch, epoch seconds, speed-up over tfjs-wasm, time as a multiple of torch's, and the browser rows' of Node's. */
export function formatEpochTable(rows: readonly EpochRow[], batchSize: number, epochSamples: number): string {
  const msOf = (model: BenchModel, backend: BenchBackend): number | null => rows.find((r) => r.model === model && r.backend === backend)?.msPerBatch ?? null;
  const out: string[][] = [['model', 'backend', 'ms/batch', 'epoch s', 'speed vs tfjs-wasm', 'time vs torch', 'time vs node', 'notes']];
  for (const r of rows) {
    const stock = msOf(r.model, 'tfjs-wasm');
    const torch = msOf(r.model, 'torch');
    // Speed-up over the stock backend (higher is better); time relative to PyTorch (lower is better, 1 = parity).
    const vsStock = r.msPerBatch !== null && stock !== null ? `${(stock / r.msPerBatch).toFixed(2)}x` : '-';
    const vsTorch = r.msPerBatch !== null && torch !== null ? `${(r.msPerBatch / torch).toFixed(2)}x torch` : '-';
    // The browser rows' time relative to the same kernels in Node (the wasm row), the page's goal being <= 1.15x.
    const node = msOf(r.model, 'wasm');
    const vsNode = isBrowserBackend(r.backend) && r.msPerBatch !== null && node !== null ? `${(r.msPerBatch / node).toFixed(2)}x wasm` : '-';
    out.push([r.model, r.backend, r.msPerBatch?.toFixed(1) ?? '-', r.epochSeconds?.toFixed(1) ?? '-', vsStock, vsTorch, vsNode, r.note]);
  }
  const widths = out[0]!.map((_, c) => Math.max(...out.map((row) => row[c]!.length)));
  const lines = out.map((row) =>
    row
      .map((cell, c) => cell.padEnd(widths[c]!))
      .join('  ')
      .trimEnd(),
  );
  return `\nbatch ${batchSize}, epoch = ${epochSamples} samples; medians\n${lines.join('\n')}\n`;
}
