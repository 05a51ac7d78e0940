// Prints how much each backend slows down with busy neighbours on its cores: the step time under each load
// beside the time alone, measured in the same run and interleaved, so that drifts hit every column alike.
import type { BenchModel } from './bench_models.js';
import type { BenchBackend } from './step_runner.js';

/** A (model, backend)'s median step time with each number of busy neighbours; null where it did not run. */
export interface SlowdownRow {
  model: BenchModel;
  backend: BenchBackend;
  /** Milliseconds per step, by number of neighbours (0 = alone). */
  msByNeighbours: ReadonlyMap<number, number | null>;
}

/** Renders the rows: for each load, ms per step and its multiple of the time alone. */
export function formatSlowdownTable(rows: readonly SlowdownRow[], loads: readonly number[]): string {
  const others = loads.filter((n) => n > 0);
  const header = ['model', 'backend', 'alone ms', ...others.map((n) => `${n} busy: ms (slowdown)`)];
  const out: string[][] = [header];
  for (const row of rows) {
    const alone = row.msByNeighbours.get(0) ?? null;
    const cells = others.map((n) => {
      const ms = row.msByNeighbours.get(n) ?? null;
      if (ms === null) return '-';
      return alone === null ? ms.toFixed(1) : `${ms.toFixed(1)} (${(ms / alone).toFixed(2)}x)`;
    });
    out.push([row.model, row.backend, alone?.toFixed(1) ?? '-', ...cells]);
  }
  const widths = header.map((_, c) => Math.max(...out.map((r) => r[c]!.length)));
  const lines = out.map((r) =>
    r
      .map((cell, c) => cell.padEnd(widths[c]!))
      .join('  ')
      .trimEnd(),
  );
  return `\nstep time with CPU-bound neighbour processes on the same cores; medians, slowdown = time / time alone\n${lines.join('\n')}\n`;
}
