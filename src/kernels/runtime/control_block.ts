// The shared job descriptor through which the calling thread hands work to the kernel threads, and the
// protocol both sides follow on it. No messages are exchanged per call: the caller writes the descriptor,
// bumps GEN and notifies; threads claim task indices with a compare-and-swap on one word that packs the
// task count with the next index, run them, and count them in DONE; the last one notifies the caller.
//
// Why this is race-free without per-job handshakes: a thread reads the descriptor only after it has won a
// claim, and a claim can only be won on the job currently published (the caller publishes the next job
// only when DONE says every claimed task has finished). A thread that wakes late simply finds nothing to
// claim, or claims a task of the job that is current by then and reads that job's descriptor.
import { platform } from '../../platform/index.js';

/** Most threads a pool may have (the calling thread counts as thread 0). */
export const MAX_THREADS = 32;
/** Most tasks one parallel call may be split into (the claim word keeps 16 bits for each half). */
export const MAX_TASKS = 0x7fff;
/** Most numeric arguments a kernel call may carry, besides the ones the runtime appends. */
export const MAX_ARGS = 24;

/** Int32 slots of the control block. */
export const Slot = {
  /** Job generation: bumped once per published job; sleeping threads wait on it. */
  Gen: 0,
  /** `tasks << 16 | next`: claimed with compare-and-swap. */
  Claim: 1,
  /** Tasks (or broadcast calls) finished in the current job. */
  Done: 2,
  /** How many completions end the current job. */
  Expected: 3,
  /** Index of the kernel export to run (into the pool's function table). */
  Fn: 4,
  /** Number of caller-supplied arguments in the argument slots. */
  NArgs: 5,
  /** The index range [0, Range) that a parallel-for job splits into tasks. */
  Range: 6,
  /** 0 when no error; else 1 + index of the first thread that failed. */
  ErrThread: 7,
  /** Task (or -1 for a broadcast call) that failed first. */
  ErrTask: 8,
  /** UTF-8 length of the error message. */
  ErrLength: 9,
  /** Set once when the pool closes; threads then return. */
  Shutdown: 10,
  /** Threads inside Atomics.wait on Gen; the caller skips the notify syscall when zero. */
  Sleepers: 11,
  /** First of MAX_THREADS per-thread flags: 1 = run the broadcast call once on this thread. */
  Broadcast: 16,
} as const;

const INT_SLOTS = Slot.Broadcast + MAX_THREADS;
const ARGS_BYTE_OFFSET = INT_SLOTS * 4;
const MESSAGE_BYTE_OFFSET = ARGS_BYTE_OFFSET + MAX_ARGS * 8;
const MESSAGE_BYTES = 2048;

/** Typed views over one SharedArrayBuffer holding a pool's control block. */
export interface ControlBlock {
  buffer: SharedArrayBuffer;
  ints: Int32Array;
  args: Float64Array;
  message: Uint8Array;
}

/** Allocates a zeroed control block. */
export function createControlBlock(): ControlBlock {
  return viewControlBlock(platform.sharedBuffer(MESSAGE_BYTE_OFFSET + MESSAGE_BYTES));
}

/** Views an existing control block (in a kernel thread, from the buffer it was sent). */
export function viewControlBlock(buffer: SharedArrayBuffer): ControlBlock {
  return {
    buffer,
    ints: new Int32Array(buffer, 0, INT_SLOTS),
    args: new Float64Array(buffer, ARGS_BYTE_OFFSET, MAX_ARGS),
    message: new Uint8Array(buffer, MESSAGE_BYTE_OFFSET, MESSAGE_BYTES),
  };
}

/** The packed claim word for a fresh job of `tasks` tasks. */
export function claimWord(tasks: number): number {
  return tasks << 16;
}

/** Claims the next task of the current job; returns [task, tasks] or undefined when none is left. */
export function claimTask(ints: Int32Array): [number, number] | undefined {
  for (;;) {
    const word = Atomics.load(ints, Slot.Claim);
    const tasks = word >>> 16;
    const next = word & 0xffff;
    if (next >= tasks) return undefined;
    if (Atomics.compareExchange(ints, Slot.Claim, word, word + 1) === word) return [next, tasks];
  }
}

/** Claims this thread's broadcast call, if the current job has one for it. */
export function claimBroadcast(ints: Int32Array, thread: number): boolean {
  return Atomics.compareExchange(ints, Slot.Broadcast + thread, 1, 0) === 1;
}

/** Counts one finished task; the one that completes the job wakes the caller. */
export function finishTask(ints: Int32Array): void {
  const expected = Atomics.load(ints, Slot.Expected);
  if (Atomics.add(ints, Slot.Done, 1) + 1 === expected) Atomics.notify(ints, Slot.Done);
}

/** Records the job's first error (later ones are dropped: the first is usually the cause). */
export function recordError(block: ControlBlock, thread: number, task: number, error: unknown): void {
  if (Atomics.compareExchange(block.ints, Slot.ErrThread, 0, thread + 1) !== 0) return;
  const text = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
  const { written } = new TextEncoder().encodeInto(text, block.message);
  block.ints[Slot.ErrTask] = task;
  Atomics.store(block.ints, Slot.ErrLength, written);
}

/** Whether the current job has failed (threads then skip their remaining tasks). */
export function jobFailed(ints: Int32Array): boolean {
  return Atomics.load(ints, Slot.ErrThread) !== 0;
}

/** The recorded error: failing thread, task, and message text. */
export function readError(block: ControlBlock): { thread: number; task: number; message: string } {
  const length = Atomics.load(block.ints, Slot.ErrLength);
  // TextDecoder refuses views of shared memory, so the message is copied out first.
  const message = new TextDecoder().decode(block.message.slice(0, length));
  return { thread: block.ints[Slot.ErrThread]! - 1, task: block.ints[Slot.ErrTask]!, message };
}
