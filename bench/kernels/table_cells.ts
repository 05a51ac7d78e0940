// The kernel table's measurements as the child processes report them, and the runner that starts a child.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BackendName } from '../../src/backends/types.js';

/** One op on one backend: the median call and its spread in ms, on `images` samples; or why there is none. */
export type KernelCell = { ms: number; q1: number; q3: number; min: number; max: number; samples: number; images: number } | { note: string };

/** Everything one child measured: its backend, threads, and a cell per op id. */
export interface KernelColumn {
  detail: string;
  threads: number;
  cells: Record<string, KernelCell>;
}

/** One column's settings: which backend, on how many threads, timed for how long per op. */
export interface ColumnPlan {
  backend: BackendName;
  threads: number;
  timeMs: number;
  /** Fewest timed calls per op, however long they take. */
  minCalls: number;
  batch: number;
  filter?: string;
}

/** Times every op on one backend in a child process; its progress goes to our stderr, a failure becomes an error column. */
export function measureColumn(plan: ColumnPlan): Promise<KernelColumn | { error: string }> {
  const script = fileURLToPath(new URL('./table_child.ts', import.meta.url));
  const args = [
    plan.backend,
    String(plan.threads),
    String(plan.timeMs),
    String(plan.minCalls),
    String(plan.batch),
    ...(plan.filter === undefined ? [] : [plan.filter]),
  ];
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  return new Promise((resolve) => {
    child.on('close', (code) => {
      const last = stdout.trim().split('\n').pop() ?? '';
      try {
        resolve(JSON.parse(last) as KernelColumn | { error: string });
      } catch {
        // A child that crashed (out of memory, a killed worker) is one failed column, not a failed table.
        resolve({ error: `child exited with code ${code} without a result` });
      }
    });
  });
}
