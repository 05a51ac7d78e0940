import type { KernelIsa } from '../gemm/loader.js';
import type { KernelPool } from '../runtime/pool.js';
import type { SharedHeapBackend } from '../runtime/tfjs_shared_heap.js';

/** What a kernel needs to run on our backend: the tfjs heap, the thread pool, and scratch memory. */
export interface KernelContext {
  /** tfjs's WASM backend, whose heap is the pool's shared memory. */
  readonly backend: SharedHeapBackend;
  /** Fork-join threads, each with an instance of the kernel module on that heap. */
  readonly pool: KernelPool;
  /** Which build of the kernel module runs: relaxed-SIMD FMA or plain SIMD. */
  readonly isa: KernelIsa;
  /** Threads a kernel call is split across, the caller's included. */
  readonly threads: number;
  /** The kernel module instantiated on the caller's thread, for quick serial calls (sizes, small ops). */
  readonly exports: WebAssembly.Exports;
  /**
   * A scratch area of at least `bytes` in the tfjs heap, reused across calls and grown when too small.
   * It may grow the heap, so call it before taking any view of the heap.
   */
  scratch(bytes: number): number;
}

const contexts = new WeakMap<object, KernelContext>();

/** Attaches a kernel context to the backend instance its kernels will be handed. */
export function attachKernelContext(context: KernelContext): void {
  contexts.set(context.backend, context);
}

/** The kernel context of the backend a tfjs kernel was called with. */
export function kernelContext(backend: unknown): KernelContext {
  const context = contexts.get(backend as object);
  if (context === undefined) throw new Error('this kernel runs only on the wasm backend started by openWasm');
  return context;
}

/** A scratch allocator over tfjs's own malloc, so scratch lives in the shared heap every thread sees. */
export function heapScratch(backend: SharedHeapBackend): { scratch(bytes: number): number; free(): void } {
  const wasm = (backend as unknown as { wasm: { _malloc(n: number): number; _free(p: number): void } }).wasm;
  let offset = 0;
  let size = 0;
  return {
    scratch(bytes) {
      if (bytes <= size) return offset;
      if (offset !== 0) wasm._free(offset);
      // Grow geometrically so a run's varied layer sizes settle after a few calls.
      size = Math.max(bytes, size * 2);
      offset = wasm._malloc(size) >>> 0;
      if (offset === 0) throw new Error(`out of WebAssembly memory allocating ${size} bytes of kernel scratch`);
      return offset;
    },
    free() {
      if (offset !== 0) wasm._free(offset);
      offset = 0;
      size = 0;
    },
  };
}
