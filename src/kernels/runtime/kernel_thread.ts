// The body of one kernel worker thread: instantiate the kernels on the shared memory, then sleep on the
// control block and drain each job published there until the pool shuts down.
import { platform } from '../../platform/index.js';
import { Slot, viewControlBlock } from './control_block.js';
import { instantiateKernels } from './kernel_module.js';
import { drainJob, type ThreadContext } from './task_runner.js';

/** What the pool sends each kernel thread at start. */
export interface KernelThreadData {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  control: SharedArrayBuffer;
  thread: number;
  threads: number;
  spinIterations: number;
}

/** Messages a kernel thread posts to the pool (only at start; jobs never use messages). */
export type KernelThreadMessage = { type: 'ready' } | { type: 'failed'; message: string };

function isKernelThreadData(value: unknown): value is KernelThreadData {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    v.module instanceof WebAssembly.Module &&
    v.memory instanceof WebAssembly.Memory &&
    v.control instanceof SharedArrayBuffer &&
    typeof v.thread === 'number' &&
    typeof v.threads === 'number' &&
    typeof v.spinIterations === 'number'
  );
}

/** Waits until the job generation moves past `seen`: a short spin (cheap back-to-back calls), then sleep. */
function awaitNextJob(ints: Int32Array, seen: number, spinIterations: number): void {
  for (let i = 0; i < spinIterations; i++) if (Atomics.load(ints, Slot.Gen) !== seen) return;
  Atomics.add(ints, Slot.Sleepers, 1);
  Atomics.wait(ints, Slot.Gen, seen);
  Atomics.sub(ints, Slot.Sleepers, 1);
}

/** Runs a kernel thread once its start data is here; the entry files (workers/, web/) call this and nothing else. */
export function runKernelThread(): void {
  platform.receiveKernelThreadStart((data, post) => {
    if (!isKernelThreadData(data)) throw new Error('kernel thread started without its KernelThreadData');
    serve(data, post);
  });
}

function serve(data: KernelThreadData, post: (message: KernelThreadMessage) => void): void {
  const block = viewControlBlock(data.control);
  let ctx: ThreadContext;
  try {
    ctx = { thread: data.thread, threads: data.threads, functions: instantiateKernels(data.module, data.memory), block };
  } catch (error) {
    post({ type: 'failed', message: error instanceof Error ? error.message : String(error) } satisfies KernelThreadMessage);
    return;
  }
  // Read the generation before announcing readiness, so that no job published afterwards is missed.
  let seen = Atomics.load(block.ints, Slot.Gen);
  post({ type: 'ready' } satisfies KernelThreadMessage);
  // The loop blocks this thread for good; the pool ends it with Shutdown (or terminate()).
  for (;;) {
    awaitNextJob(block.ints, seen, data.spinIterations);
    seen = Atomics.load(block.ints, Slot.Gen);
    if (Atomics.load(block.ints, Slot.Shutdown) !== 0) return;
    drainJob(ctx);
  }
}
