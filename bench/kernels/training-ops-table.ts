// Prints the training-op benchmark's GFLOP/s per op and backend configuration, with shares of the FMA ceiling.
import type { TrainingOp } from './training-ops.js';

/** Published relaxed-SIMD FMA sgemm in Node, one thread: 37-42 GFLOP/s (FACTS.md). */
export const CEILING_PER_THREAD = 40;

/** One measurement: GFLOP/s (and the images it ran on when sliced), or why there is none. */
export type Cell = { gflops: number; images: number } | { note: string };

/** The three columns measured: ours on one thread, ours on all threads, and stock. */
export interface Columns {
  one: string;
  all: string;
  stock: string;
  /** Threads each column computed with, for its share of the ceiling. */
  threads: ReadonlyMap<string, number>;
}

/** The median GFLOP/s over rounds (the upper one of an even count: load only ever slows), else the first note. */
export function mergeRounds(cells: readonly Cell[]): Cell | undefined {
  const timed = cells.filter((c): c is { gflops: number; images: number } => 'gflops' in c).sort((a, b) => a.gflops - b.gflops);
  return timed[timed.length >> 1] ?? cells[0];
}

function show(cell: Cell | undefined, batch: number): string {
  if (cell === undefined) return '-';
  if (!('gflops' in cell)) return cell.note.startsWith('error') ? 'error' : cell.note;
  return `${cell.gflops.toFixed(cell.gflops < 10 ? 2 : 1)}${cell.images === batch ? '' : '*'}`;
}

function ofCeiling(cell: Cell | undefined, threads: number): string {
  return cell === undefined || !('gflops' in cell) ? '-' : `${((100 * cell.gflops) / (CEILING_PER_THREAD * threads)).toFixed(0)}%`;
}

/** The table, its footnotes, and each distinct error once; `cell(label, op)` gives a column's merged result. */
export function formatTrainingOpsTable(ops: readonly TrainingOp[], cols: Columns, cell: (label: string, op: TrainingOp) => Cell | undefined, batch: number, slice: number, slowMs: number): string {
  const { one, all, stock } = cols;
  const header = ['layer', 'op', 'shape (MxKxN | NHWC * HWIO)', 'GFLOP', one, all, stock, `${one} %ceil`, `${all} %ceil`];
  const rows = ops.map((op) => {
    const size = op.size(batch);
    const [a, b, c] = [cell(one, op), cell(all, op), cell(stock, op)];
    const name = `${op.op}${op.inTraining ? '' : ' †'}`;
    return [op.layer, name, size.shape, size.gflop.toFixed(3), show(a, batch), show(b, batch), show(c, batch), ofCeiling(a, cols.threads.get(one) ?? 1), ofCeiling(b, cols.threads.get(all) ?? 1)];
  });
  const table = [header, ...rows];
  const widths = header.map((_, c) => Math.max(...table.map((row) => row[c]!.length)));
  const lines = [`\nGFLOP/s at the median call, batch ${batch}; %ceil = share of ${CEILING_PER_THREAD} GFLOP/s per thread (Node ${process.version})`];
  for (const row of table) lines.push(row.map((text, c) => text.padEnd(widths[c]!)).join('  ').trimEnd());
  lines.push(
    'GFLOP counts a direct convolution or matmul; a kernel doing fewer multiplications (Winograd) can pass the ceiling',
    `* timed on ${slice} images: the full batch took over ${slowMs} ms per call`,
    '† not run in a training step: tfjs computes no gradient towards the network input',
    'no kernel: the backend has no kernel for the op (stock tfjs-backend-wasm lacks Conv2DBackpropFilter)',
  );
  const errors = new Map<string, string[]>();
  for (const op of ops) {
    for (const label of [one, all, stock]) {
      const c = cell(label, op);
      if (c !== undefined && 'note' in c && c.note.startsWith('error')) errors.set(c.note, [...(errors.get(c.note) ?? []), `${label} ${op.layer} ${op.op}`]);
    }
  }
  for (const [note, where] of errors) lines.push(`${note} (${where.length === 1 ? where[0] : `${where.length} cells, first ${where[0]}`})`);
  return `${lines.join('\n')}\n`;
}
