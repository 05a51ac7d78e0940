import { describe, expect, it } from 'vitest';
import { NETWORK_OPS } from '../../../bench/kernels/network_ops.js';
import type { KernelCell } from '../../../bench/kernels/table_cells.js';
import { formatKernelTable, type TableColumn } from '../../../bench/kernels/table_format.js';
import { opId } from '../../../bench/kernels/training_ops.js';

const fcOps = NETWORK_OPS.filter((op) => op.network === 'fc');
const fc2Forward = fcOps.find((op) => op.layer === 'fc2 700x700' && op.op === 'fwd relu(x·W+b) (fused)')!;

/** A column where every FC op took `ms` per call, except where `overrides` says otherwise. */
function column(label: string, threads: number, ms: number, step: number, overrides: Record<string, KernelCell> = {}): TableColumn {
  const cells: Record<string, KernelCell> = {};
  for (const op of fcOps) cells[opId(op)] = overrides[opId(op)] ?? { ms, q1: ms * 0.9, q3: ms * 1.25, min: ms * 0.8, max: ms * 2, samples: 9, images: 128 };
  return { label, result: { detail: label, threads, cells }, steps: { fc: { msPerBatch: step, minMs: step - 1, maxMs: step + 2 } } };
}

function rowOf(table: string, start: string): string[] {
  const line = table.split('\n').find((l) => l.startsWith(start));
  expect(line, `no row starting ${start}`).toBeDefined();
  return line!
    .slice(2, -2)
    .split(' | ')
    .map((cell) => cell.trim());
}

describe('formatKernelTable', () => {
  const slow = { [opId(fc2Forward)]: { ms: 5, q1: 4, q3: 6.25, min: 3, max: 9, samples: 9, images: 128 } };
  const table = formatKernelTable({
    batch: 128,
    ops: fcOps,
    columns: [column('ours 1T', 1, 0.5, 40, slow), column('ours 2T', 2, 0.25, 30), column('stock 1T', 1, 1, 500, { [opId(fcOps[1]!)]: { note: 'none' } })],
    complete: ['fc'],
    preamble: ['preamble line'],
  });

  it('gives a GEMM its GFLOP/s, interquartile range and share of the per-thread ceiling', () => {
    const row = rowOf(table, '| fc | fc2 700x700 | fwd relu(x·W+b) (fused) |');
    // 2 * 128 * 700 * 700 = 0.12544 GFLOP in 5 ms: 25.1 GFLOP/s, 63% of 40; quartiles 6.25 and 4 ms.
    expect(row.slice(6, 8)).toEqual(['5.00', '25.1 [20.1-31.4]']);
    expect(row[12]).toBe('63%');
    // 0.25 ms on two threads: 502 GFLOP/s, 627% of 2 x 40.
    expect(row[13]).toBe('627%');
  });

  it('sums median x calls per step and shows what the measured step spends outside them', () => {
    const calls = fcOps.reduce((sum, op) => sum + op.perStep, 0);
    const oneThread = 0.5 * (calls - 1) + 5;
    const sums = rowOf(table, '| fc | **step** | kernels');
    expect(Number(sums[6])).toBeCloseTo(oneThread, 0);
    expect(Number(sums[8])).toBeCloseTo(0.25 * calls, 0);
    expect(sums[10]).toMatch(/^incomplete \(fc1 3136x700 fwd relu\(x·W\+b\) \(fused\): none\)/);
    const outside = rowOf(table, '| fc | **step** | outside');
    expect(Number(outside[6])).toBeCloseTo(40 - oneThread, 0);
    expect(outside[10]).toBe('-');
    expect(rowOf(table, '| fc | **step** | measured').slice(6, 8)).toEqual(['40.0', '[39.0-42.0]']);
  });

  it('reports a memory-bound op in GB/s and gives it no share of the ceiling', () => {
    const row = rowOf(table, '| fc | fc2 700x700 | ReluGrad + bias Sum |');
    // [128,700] dy and y read, dz written: 1,075,200 bytes in 0.5 ms = 2.15 GB/s.
    expect(row[4]).toBe('1.08 MB');
    expect(row[7]).toMatch(/^2\.15 \[/);
    expect(row[12]).toBe('');
  });
});
