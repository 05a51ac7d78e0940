import { runKernelThread } from '../src/kernels/runtime/kernel_thread.js';

/** A kernel thread of a KernelPool (src/kernels/runtime/pool.ts). */
runKernelThread();
