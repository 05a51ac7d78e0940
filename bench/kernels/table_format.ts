// Renders the kernel table as markdown: per op, each column's median time and rate with its interquartile
// range, the share of the per-thread FMA ceiling, and per network the kernels' sum against the measured step.
import type { StepResult } from '../step_runner.js';
import type { KernelCell, KernelColumn } from './table_cells.js';
import { type Network, opId, type TrainingOp } from './training_ops.js';

/** Published relaxed-SIMD FMA sgemm in Node, one thread: 37-42 GFLOP/s (FACTS.md); the middle of that range. */
export const CEILING_PER_THREAD = 40;

/** One measured column: its heading and what its child reported. */
export interface TableColumn {
  label: string;
  result: KernelColumn | { error: string };
  /** Measured training step per network, from a separate process on the same backend and threads. */
  steps: Partial<Record<Network, StepResult>>;
}

/** Everything the table shows. */
export interface TableInput {
  batch: number;
  ops: readonly TrainingOp[];
  /** Ours on one thread, ours on all threads, stock; the first two get a share of the ceiling. */
  columns: readonly TableColumn[];
  /** Networks whose every op was timed, so that their kernel sum means a whole step. */
  complete: readonly Network[];
  /** Lines above the table: machine, load, duration. */
  preamble: readonly string[];
}

function cellOf(column: TableColumn, op: TrainingOp): KernelCell {
  return 'error' in column.result ? { note: 'error' } : (column.result.cells[opId(op)] ?? { note: '-' });
}

function threadsOf(column: TableColumn): number {
  return 'error' in column.result ? 1 : column.result.threads;
}

function fixed(value: number): string {
  return value.toFixed(value >= 100 ? 0 : value >= 10 ? 1 : 2);
}

function ms(value: number): string {
  const size = Math.abs(value);
  return value.toFixed(size >= 10 ? 1 : size >= 1 ? 2 : 3);
}

/** The median call's time scaled to the full batch (a sliced op's time grows with the images). */
function fullBatchMs(cell: KernelCell, batch: number): number | undefined {
  return 'ms' in cell ? (cell.ms * batch) / cell.images : undefined;
}

function rateCells(cell: KernelCell, op: TrainingOp, batch: number): [string, string] {
  if (!('ms' in cell)) return [cell.note, ''];
  const work = op.size(cell.images).work;
  const rate = (t: number): number => work / (t / 1000);
  const sliced = cell.images === batch ? '' : '*';
  return [`${ms((cell.ms * batch) / cell.images)}${sliced}`, `${fixed(rate(cell.ms))} [${fixed(rate(cell.q3))}-${fixed(rate(cell.q1))}]`];
}

function ceilingShare(cell: KernelCell, op: TrainingOp, threads: number): string {
  if (!('ms' in cell) || op.size(cell.images).unit !== 'GFLOP') return '';
  const rate = op.size(cell.images).work / (cell.ms / 1000);
  return `${((100 * rate) / (CEILING_PER_THREAD * threads)).toFixed(0)}%`;
}

function opRow(input: TableInput, op: TrainingOp): string[] {
  const size = op.size(input.batch);
  const work = size.unit === 'GFLOP' ? `${size.work.toFixed(3)} GFLOP` : `${(size.work * 1000).toFixed(2)} MB`;
  const name = `${op.op}${op.effective ? ' ‡' : ''}${op.perStep === 0 ? ' †' : ''}`;
  const [one, all] = input.columns;
  return [
    op.network,
    op.layer,
    name,
    size.shape,
    work,
    String(op.perStep),
    ...input.columns.flatMap((c) => rateCells(cellOf(c, op), op, input.batch)),
    one === undefined ? '' : ceilingShare(cellOf(one, op), op, threadsOf(one)),
    all === undefined ? '' : ceilingShare(cellOf(all, op), op, threadsOf(all)),
  ];
}

/** Sum over the network's ops of median x calls per step, or why it cannot be summed. */
function kernelSum(input: TableInput, column: TableColumn, network: Network): number | string {
  let total = 0;
  for (const op of input.ops.filter((o) => o.network === network && o.perStep > 0)) {
    const cell = cellOf(column, op);
    const t = fullBatchMs(cell, input.batch);
    if (t === undefined) return `incomplete (${op.layer} ${op.op}: ${'note' in cell ? cell.note : '-'})`;
    total += t * op.perStep;
  }
  return total;
}

function totalRows(input: TableInput, network: Network, width: number): string[][] {
  const pad = (cells: string[]): string[] => [...cells, ...Array<string>(width - cells.length).fill('')];
  const sums = input.columns.map((c) => kernelSum(input, c, network));
  const steps = input.columns.map((c) => c.steps[network]);
  const stepCell = (s: StepResult | undefined): [string, string] =>
    s?.msPerBatch === undefined ? [s?.error ?? '-', ''] : [ms(s.msPerBatch), `[${ms(s.minMs ?? NaN)}-${ms(s.maxMs ?? NaN)}]`];
  const outside = (i: number): [string, string] => {
    const [sum, step] = [sums[i], steps[i]?.msPerBatch];
    if (typeof sum !== 'number' || step === undefined) return ['-', ''];
    return [ms(step - sum), `${((100 * (step - sum)) / step).toFixed(0)}% of step`];
  };
  return [
    pad([
      network,
      '**step**',
      'kernels: Σ median x calls',
      '',
      '',
      '',
      ...sums.flatMap((s): [string, string] => (typeof s === 'number' ? [ms(s), ''] : [s, ''])),
    ]),
    pad([network, '**step**', 'measured training step', '', '', '', ...steps.flatMap(stepCell)]),
    pad([network, '**step**', 'outside these kernels', '', '', '', ...input.columns.flatMap((_, i) => outside(i))]),
  ];
}

/** The markdown table with its preamble and footnotes. */
export function formatKernelTable(input: TableInput): string {
  const threadsLabel = (c: TableColumn | undefined): string => (c === undefined ? '' : `${threadsOf(c)}T`);
  const header = [
    'net',
    'layer',
    'op',
    'shape (MxKxN | NHWC * HWIO | array)',
    'work',
    'calls/step',
    ...input.columns.flatMap((c) => [`${c.label} ms`, `${c.label} GFLOP/s or GB/s [IQR]`]),
    `% of ${CEILING_PER_THREAD} (${threadsLabel(input.columns[0])})`,
    `% of ${CEILING_PER_THREAD}/thread (${threadsLabel(input.columns[1])})`,
  ];
  const rows: string[][] = [];
  for (const network of ['fc', 'cnn'] as const) {
    rows.push(...input.ops.filter((op) => op.network === network).map((op) => opRow(input, op)));
    if (input.complete.includes(network)) rows.push(...totalRows(input, network, header.length));
  }
  const line = (cells: readonly string[]): string => `| ${cells.map((c) => c.replaceAll('|', '\\|')).join(' | ')} |`;
  const errors = input.columns.flatMap((c) => ('error' in c.result ? [`${c.label}: ${c.result.error}`] : []));
  return [
    ...input.preamble,
    ...input.columns.map((c) => `- ${c.label}: ${'error' in c.result ? 'failed' : c.result.detail}`),
    '',
    line(header),
    line(header.map(() => '---')),
    ...rows.map(line),
    '',
    `ms: median call at batch ${input.batch}. Rates: GFLOP/s for matmuls (2·M·N·K) and convolutions (a direct convolution's`,
    '2·N·OH·OW·KH·KW·Cin·Cout), GB/s for memory-bound ops (each input read once, each output written once), at the median call;',
    '[IQR] is the rate at the slower and faster quartile calls.',
    `% of ${CEILING_PER_THREAD}: share of ${CEILING_PER_THREAD} GFLOP/s per thread, the middle of the 37-42 GFLOP/s that published relaxed-SIMD FMA`,
    'WASM sgemm reaches on one thread in Node (FACTS.md).',
    '‡ effective GFLOP/s: our kernel runs Winograd (2.25x fewer multiplies than the direct count), so it can pass the ceiling.',
    '† not run in a training step (tfjs computes no gradient towards the input); left out of the step sums.',
    '* timed on 16 images because the full batch would take over 1.5 s per call; ms is scaled to the batch.',
    'none: the backend has no kernel for the op. Stock runs ReLU gradient, dropout and RMSprop as tfjs op-by-op fallbacks.',
    'step rows: Σ of median x calls per step; measured = median training step (trainStep) [min-max] in a separate process; outside =',
    'step minus that sum (loss, softmax, metrics, tfjs bookkeeping, JavaScript between kernels).',
    ...errors,
    '',
  ].join('\n');
}
