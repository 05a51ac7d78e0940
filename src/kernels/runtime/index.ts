// The kernel thread runtime's public surface: a fork-join pool over one shared WebAssembly.Memory,
// tfjs's WASM backend started on such a memory, and the checks kernel modules must pass.
export { KernelError, KernelPool, type KernelPoolOptions } from './pool.js';
export { compileKernelModule, type KernelFunction } from './kernel-module.js';
export {
  createSharedHeapBackend,
  sharedHeapBackendFactory,
  sharedMemoryOf,
  TFJS_HEAP_MAX_PAGES,
  useSharedHeapBackend,
  type SharedHeapBackend,
  type SharedHeapOptions,
} from './tfjs-shared-heap.js';
export { enableRelaxedSimd, relaxedSimdSupported } from './relaxed-simd.js';
