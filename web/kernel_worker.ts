import { runKernelThread } from '../src/kernels/runtime/kernel_thread.js';

/** A kernel thread of a KernelPool in the browser: a module Worker started by src/platform/browser.ts. */
runKernelThread();
