// What every thread of a pool, the calling one included, does with a published job.
import { type ControlBlock, claimBroadcast, claimTask, finishTask, jobFailed, recordError, Slot } from './control_block.js';
import type { KernelFunction } from './kernel_module.js';

/** One thread's view of a pool: its index, its own instance's functions, the shared control block. */
export interface ThreadContext {
  thread: number;
  threads: number;
  functions: readonly KernelFunction[];
  block: ControlBlock;
}

/** Reads the call arguments of the current job; only valid after a claim has been won. */
function readArgs(block: ControlBlock, extra: number): number[] {
  const n = block.ints[Slot.NArgs]!;
  const args = new Array<number>(n + extra);
  for (let i = 0; i < n; i++) args[i] = block.args[i]!;
  return args;
}

function run(ctx: ThreadContext, task: number, args: number[]): void {
  // After another thread's failure the job is abandoned; skipped tasks still count so the caller wakes.
  if (!jobFailed(ctx.block.ints)) {
    try {
      const fn = ctx.functions[ctx.block.ints[Slot.Fn]!];
      if (fn === undefined) throw new Error(`no kernel function #${ctx.block.ints[Slot.Fn]}`);
      fn(...args);
    } catch (error) {
      recordError(ctx.block, ctx.thread, task, error);
    }
  }
  finishTask(ctx.block.ints);
}

/**
 * Runs everything of the current job this thread can get: its broadcast call, if any, as
 * `fn(...args, thread, threads)`, then parallel-for tasks as `fn(...args, lo, hi, thread)` until none is
 * left to claim. Exceptions (wasm traps included) are recorded in the block, never thrown.
 */
export function drainJob(ctx: ThreadContext): void {
  const { block, thread } = ctx;
  if (claimBroadcast(block.ints, thread)) {
    const args = readArgs(block, 2);
    args[args.length - 2] = thread;
    args[args.length - 1] = ctx.threads;
    run(ctx, -1, args);
  }
  for (let claim = claimTask(block.ints); claim !== undefined; claim = claimTask(block.ints)) {
    const [task, tasks] = claim;
    const range = block.ints[Slot.Range]!;
    const args = readArgs(block, 3);
    // Contiguous, balanced chunks: sizes differ by at most one and cover [0, range) exactly once.
    args[args.length - 3] = Math.floor((task * range) / tasks);
    args[args.length - 2] = Math.floor(((task + 1) * range) / tasks);
    args[args.length - 1] = thread;
    run(ctx, task, args);
  }
}
