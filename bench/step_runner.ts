// Runs one timing child (a tfjs backend through train_step.ts, or the PyTorch peer) and reads its JSON line.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { BackendName } from '../src/backends/types.js';
import type { BenchModel } from './bench_models.js';
import type { BrowserBackend } from './browser_bench.js';
import { TORCH_PYTHON } from './torch_peer.js';

const run = promisify(execFile);

/**
 * A backend the epoch bench can time: one of the harness's, `torch`, the native PyTorch peer, or ours in
 * headless Chromium (`browser`, cross-origin isolated; `browser-1t`, not isolated: one thread; browser_bench.ts).
 */
export type BenchBackend = BackendName | 'torch' | BrowserBackend;

/** What one timing child measured, or why it could not. */
export interface StepResult {
  msPerBatch?: number;
  minMs?: number;
  maxMs?: number;
  /** What ran underneath: device, ISA or library, threads. */
  detail?: string;
  error?: string;
}

/** How many batches to time, on how many threads, at which batch size. */
export interface StepPlan {
  batches: number;
  threads: number;
  batchSize: number;
}

/** Times training steps of `model` on `backend` in a fresh process, so backends never share a heap or threads. */
export async function timeSteps(backend: Exclude<BenchBackend, BrowserBackend>, model: BenchModel, plan: StepPlan): Promise<StepResult> {
  const args = [model, String(plan.batches), String(plan.threads), String(plan.batchSize)];
  const [command, argv] =
    backend === 'torch'
      ? [TORCH_PYTHON, [script('./peers/torch_step.py'), ...args]]
      : [process.execPath, ['--import', 'tsx', script('./train_step.ts'), backend, ...args]];
  try {
    const { stdout } = await run(command, argv, { maxBuffer: 1 << 20 });
    return JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as StepResult;
  } catch (error) {
    // A child that crashed (out of memory, a killed worker) is one failed row, not a failed bench.
    const stderr = (error as { stderr?: string }).stderr?.trim().split('\n').pop();
    return { error: `child failed: ${stderr ?? (error instanceof Error ? error.message : String(error))}` };
  }
}

function script(relative: string): string {
  return fileURLToPath(new URL(relative, import.meta.url));
}
