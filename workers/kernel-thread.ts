import { runKernelThread } from '../src/kernels/runtime/kernel-thread.js';

/** A kernel thread of a KernelPool (src/kernels/runtime/pool.ts). */
runKernelThread();
