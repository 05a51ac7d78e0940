// Prints the epoch bench's rows as an aligned table with each backend's ratios to stock tfjs-wasm and to PyTorch.
import type { BenchModel } from './bench_models.js';
import type { BenchBackend } from './step_runner.js';

/** One (model, backend) measurement, extrapolated to the notebook's epoch. */
export interface EpochRow {
  model: BenchModel;
  backend: BenchBackend;
  msPerBatch: number | null;
  epochSeconds: number | null;
  note: string;
}

/** Renders the rows: ms/batch, epoch seconds, speed-up over tfjs-wasm, and time as a multiple of torch's. */
export function formatEpochTable(rows: readonly EpochRow[], batchSize: number, epochSamples: number): string {
  const msOf = (model: BenchModel, backend: BenchBackend): number | null => rows.find((r) => r.model === model && r.backend === backend)?.msPerBatch ?? null;
  const out: string[][] = [['model', 'backend', 'ms/batch', 'epoch s', 'speed vs tfjs-wasm', 'time vs torch', 'notes']];
  for (const r of rows) {
    const stock = msOf(r.model, 'tfjs-wasm');
    const torch = msOf(r.model, 'torch');
    // Speed-up over the stock backend (higher is better); time relative to PyTorch (lower is better, 1 = parity).
    const vsStock = r.msPerBatch !== null && stock !== null ? `${(stock / r.msPerBatch).toFixed(2)}x` : '-';
    const vsTorch = r.msPerBatch !== null && torch !== null ? `${(r.msPerBatch / torch).toFixed(2)}x torch` : '-';
    out.push([r.model, r.backend, r.msPerBatch?.toFixed(1) ?? '-', r.epochSeconds?.toFixed(1) ?? '-', vsStock, vsTorch, r.note]);
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
