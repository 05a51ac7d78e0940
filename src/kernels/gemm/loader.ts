// Finds, compiles and instantiates the GEMM kernel modules built by scripts/build_kernels.mjs.
// The relaxed-SIMD module is preferred; under Node 20 (V8 11.3) it validates only after the V8
// flag --experimental-wasm-relaxed-simd is set, which v8.setFlagsFromString can still do at run
// time (measured: validate() flips from false to true, and the FMA code runs correctly).
import { platform } from '../../platform/index.js';
import { enableRelaxedSimd as enableRelaxedSimdFlag } from '../runtime/relaxed_simd.js';
import { asGemmExports, type GemmExports } from './abi.js';

/** Every build of the kernels, best first: tests and benchmarks iterate over this one list. */
export const KERNEL_ISAS = ['relaxed', 'simd'] as const;

/** Which build of the kernels: relaxed-SIMD FMA or plain SIMD. */
export type KernelIsa = (typeof KERNEL_ISAS)[number];

/** Maximum pages of the shared memory the modules import (4 GiB, as built). */
export const KERNEL_MAX_PAGES = 65536;

/** Bytes of a built kernels module (in a browser, once `platform.preloadKernels()` has fetched them). */
function readKernelBytes(isa: KernelIsa): Uint8Array<ArrayBuffer> {
  return platform.kernelBytes(isa);
}

/** Ask V8 to accept relaxed SIMD and report whether the relaxed kernels module now validates. */
export function enableRelaxedSimd(): boolean {
  // The runtime's switch sets the process-wide flag (workers started later see it too); the
  // module itself is validated too in case it uses an instruction the probe does not.
  return enableRelaxedSimdFlag() && WebAssembly.validate(readKernelBytes('relaxed'));
}

/** Compile a kernels module: the requested ISA, or the best this process can validate. */
export function compileKernels(isa?: KernelIsa): { isa: KernelIsa; module: WebAssembly.Module } {
  const chosen: KernelIsa = isa ?? (enableRelaxedSimd() ? 'relaxed' : 'simd');
  if (chosen === 'relaxed' && !enableRelaxedSimd()) {
    throw new Error('relaxed SIMD does not validate in this Node; use the simd build');
  }
  return { isa: chosen, module: new WebAssembly.Module(readKernelBytes(chosen)) };
}

/** A shared memory of the kind the modules import, `initialPages` of 64 KiB to start with. */
export function createKernelMemory(initialPages = 16): WebAssembly.Memory {
  return new WebAssembly.Memory({ initial: initialPages, maximum: KERNEL_MAX_PAGES, shared: true });
}

/** Instantiate a compiled kernels module on `memory` (instantiation never writes memory). */
export function instantiateKernels(module: WebAssembly.Module, memory: WebAssembly.Memory): GemmExports {
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  return asGemmExports(instance.exports);
}

/** Loaded kernels: the exports, which build they came from and the memory they work on. */
export interface LoadedKernels {
  /** Which build was loaded. */
  isa: KernelIsa;
  /** The module's exports. */
  exports: GemmExports;
  /** The shared memory the module imports. */
  memory: WebAssembly.Memory;
}

/** Load one build single-threaded on a new (or given) shared memory, for tests and benchmarks. */
export function loadKernels(isa?: KernelIsa, memory: WebAssembly.Memory = createKernelMemory()): LoadedKernels {
  const compiled = compileKernels(isa);
  return { isa: compiled.isa, exports: instantiateKernels(compiled.module, memory), memory };
}
