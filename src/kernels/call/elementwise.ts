// How the elementwise kernels (Relu, Step, Multiply, StatelessDropout, ApplyRMSProp) split a tensor across
// the pool: the range counts 16-float blocks (src/kernels/assembly/elementwise_range.ts), and small tensors
// stay on the calling thread.
import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { KernelContext } from './context.js';

/** Floats per block of an elementwise kernel's range; must equal ELEMENTWISE_BLOCK in the AssemblyScript. */
export const ELEMENTWISE_BLOCK = 16;

/**
 * Below this many elements a kernel runs on the calling thread alone: waking a sleeping thread can take
 * ~50 µs, about what one thread needs to stream 3 arrays of this size.
 */
export const PARALLEL_MIN_ELEMENTS = 1 << 17;

/**
 * The same for compute-bound kernels (tanh, sigmoid, elu in f64): one thread takes several nanoseconds an
 * element there, so a wake-up pays for itself on far fewer elements.
 */
export const MATH_PARALLEL_MIN_ELEMENTS = 1 << 14;

/**
 * Tasks per thread of a large call: the pool hands chunks out dynamically, so a thread that the busy
 * machine slows down takes fewer of them instead of holding the others up.
 */
const TASKS_PER_THREAD = 4;

/**
 * Runs export `fnName(...args, lo, hi, thread)` over the blocks of an n-element tensor, on the calling thread
 * alone below `minParallel` elements.
 */
export function runElementwise(ctx: KernelContext, fnName: string, args: readonly number[], n: number, minParallel = PARALLEL_MIN_ELEMENTS): void {
  if (n === 0) return;
  const blocks = Math.ceil(n / ELEMENTWISE_BLOCK);
  if (n < minParallel) {
    // Straight into the caller's own instance: the pool's job publishing costs more than a small tensor.
    const fn = ctx.exports[fnName];
    if (typeof fn !== 'function') throw new Error(`kernel module has no function export ${fnName}`);
    (fn as (...a: number[]) => void)(...args, 0, blocks, 0);
    return;
  }
  ctx.pool.parallelFor(fnName, args, blocks, ctx.threads * TASKS_PER_THREAD);
}

/** Number of elements of a tensor. */
export function sizeOf(tensor: TensorInfo): number {
  let n = 1;
  for (const d of tensor.shape) n *= d;
  return n;
}
