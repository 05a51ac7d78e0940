// Scratch sizes of the convolution kernels, asked of the kernel module itself so that the layout
// each kernel carves out of its scratch is defined in one place (the AssemblyScript sources).
import { compileKernels, type KernelIsa } from '../gemm/loader.js';
import { kernelImports } from '../runtime/kernel_module.js';

/** The output tile edge of a Winograd convolution: F(2x2, 3x3) or F(4x4, 3x3). */
export type WinogradTile = 2 | 4;

/** Size queries exported by the kernel module (pure functions: they never touch memory). */
export interface ConvSizes {
  /** Rows of the GEMM register tile (MR) of this build. */
  mr: number;
  /** Private bytes per thread of f32_conv2d_igemm__wasmsimd for K = fh*fw*c. */
  igemmScratch(k: number): number;
  /** Private bytes per thread of f32_conv2d_igemm_phase__wasmsimd for K = ty*tx*c. */
  igemmPhaseScratch(k: number): number;
  /** Private bytes per thread of f32_conv2d_backprop_filter_gemm__wasmsimd. */
  filterGradScratch(k: number, n: number): number;
  /** Bytes of one task's partial dW. */
  filterGradPartial(k: number, n: number): number;
  /** Private bytes per thread of the one-input-channel kernels for k = fh*fw taps and n output channels. */
  c1Scratch(k: number, n: number): number;
  /** Private bytes per thread of f32_conv2d_backprop_filter_c1__wasmsimd for k = fh*fw taps. */
  filterGradC1Scratch(k: number): number;
  /** Private bytes per thread of f32_conv2d_n1_direct__wasmsimd for K = fh*fw*c. */
  n1Scratch(k: number): number;
  /** Private bytes per thread of f32_conv2d_winograd_{e}x{e}_3x3__wasmsimd for c input and n output channels. */
  winogradScratch(c: number, n: number, e: WinogradTile): number;
  /** Bytes of the Winograd-transformed filter for c input and n output channels and e x e output tiles. */
  winogradFilter(c: number, n: number, e: WinogradTile): number;
  /** Private bytes per thread of the Winograd filter gradient in e x e dy tiles. */
  filterGradWinogradScratch(cin: number, cout: number, e: WinogradTile): number;
  /** Bytes of one task's partial sums of the Winograd filter gradient in e x e dy tiles. */
  filterGradWinogradPartial(cin: number, cout: number, e: WinogradTile): number;
}

const cache = new Map<KernelIsa, ConvSizes>();

/** The size queries of one build, from an instance on a small private memory, cached per build. */
export function convSizes(isa: KernelIsa): ConvSizes {
  const known = cache.get(isa);
  if (known !== undefined) return known;
  const { module } = compileKernels(isa);
  const memory = new WebAssembly.Memory({ initial: 1, maximum: 65536, shared: true });
  const exports = new WebAssembly.Instance(module, kernelImports(module, memory)).exports;
  const fn = (name: string): ((...args: number[]) => number) => {
    const f = exports[name];
    if (typeof f !== 'function') throw new Error(`kernels module lacks export ${name}: run \`npm run build:kernels\``);
    return f as (...args: number[]) => number;
  };
  const mr = fn('f32_gemm_mr');
  const igemm = fn('f32_conv2d_igemm_scratch_size');
  const igemmPhase = fn('f32_conv2d_igemm_phase_scratch_size');
  const gradScratch = fn('f32_conv2d_backprop_filter_scratch_size');
  const gradPartial = fn('f32_conv2d_backprop_filter_partial_size');
  const c1 = fn('f32_conv2d_c1_scratch_size');
  const gradC1 = fn('f32_conv2d_backprop_filter_c1_scratch_size');
  const n1 = fn('f32_conv2d_n1_scratch_size');
  const winograd = fn('f32_conv2d_winograd_scratch_size');
  const winogradFilter = fn('f32_conv2d_winograd_filter_size');
  const gradWinograd = fn('f32_conv2d_backprop_filter_winograd_scratch_size');
  const gradWinogradPartial = fn('f32_conv2d_backprop_filter_winograd_partial_size');
  const sizes: ConvSizes = {
    mr: mr(),
    igemmScratch: (k) => igemm(k),
    igemmPhaseScratch: (k) => igemmPhase(k),
    filterGradScratch: (k, n) => gradScratch(k, n),
    filterGradPartial: (k, n) => gradPartial(k, n),
    c1Scratch: (k, n) => c1(k, n),
    filterGradC1Scratch: (k) => gradC1(k),
    n1Scratch: (k) => n1(k),
    winogradScratch: (c, n, e) => winograd(c, n, e),
    winogradFilter: (c, n, e) => winogradFilter(c, n, e),
    filterGradWinogradScratch: (cin, cout, e) => gradWinograd(cin, cout, e),
    filterGradWinogradPartial: (cin, cout, e) => gradWinogradPartial(cin, cout, e),
  };
  cache.set(isa, sizes);
  return sizes;
}

/** Rounds a byte count up to a whole number of 64-byte cache lines. */
export function cacheLines(bytes: number): number {
  return Math.ceil(bytes / 64) * 64;
}
