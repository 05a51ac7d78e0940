// The binary interface of the GEMM kernels module (src/kernels/assembly): export names, argument
// order and flag bits, shared by the loader, the tests, the benchmark and the thread runtime.

/** f32_gemm__wasmsimd flag: A is stored [K][M] and used transposed. */
export const GEMM_TRANSPOSE_A = 1;
/** f32_gemm__wasmsimd flag: B is stored [N][K] and used transposed. */
export const GEMM_TRANSPOSE_B = 2;
/** f32_gemm__wasmsimd flag: C += result instead of C = result (beta = 1). */
export const GEMM_ACCUMULATE = 4;
/** f32_gemm__wasmsimd flag: apply ReLU after bias. */
export const GEMM_RELU = 8;
/** f32_gemm__wasmsimd flag: add bias[N] to every row. */
export const GEMM_BIAS = 16;

/** Exports of kernels_relaxed.wasm and kernels_simd.wasm (pointers are byte addresses). */
export interface GemmExports {
  /** Compute C[m0:m1, n0:n1] of C = op(A)·op(B) (+C)(+bias)(ReLU); ld* are row strides in floats. */
  f32_gemm__wasmsimd(
    m: number,
    n: number,
    k: number,
    a: number,
    lda: number,
    b: number,
    ldb: number,
    c: number,
    ldc: number,
    bias: number,
    flags: number,
    m0: number,
    m1: number,
    n0: number,
    n1: number,
    scratch: number,
  ): void;
  /** Pool entry: MR-row (alongN = 0) or NR-column (alongN = 1) tiles [lo, hi) of the same problem,
   *  with scratch + thread * scratchStride as private scratch (KernelPool.parallelFor appends
   *  lo, hi, thread). */
  f32_gemm_tiles__wasmsimd(
    m: number,
    n: number,
    k: number,
    a: number,
    lda: number,
    b: number,
    ldb: number,
    c: number,
    ldc: number,
    bias: number,
    flags: number,
    alongN: number,
    scratch: number,
    scratchStride: number,
    lo: number,
    hi: number,
    thread: number,
  ): void;
  /** Bytes of private scratch one f32_gemm__wasmsimd call needs for any sub-range of an m x n x k problem. */
  f32_gemm_scratch_size(m: number, n: number, k: number): number;
  /** Register-tile rows (MR): M splits should be multiples of it. */
  f32_gemm_mr(): number;
  /** Register-tile columns (NR = 8): N splits should be multiples of it. */
  f32_gemm_nr(): number;
  /** 1 if the module uses relaxed-SIMD FMA, 0 if plain SIMD mul + add. */
  kernels_isa(): number;
}

/** Names that must be functions on an instance for it to be used as GemmExports. */
export const GEMM_EXPORT_NAMES = [
  'f32_gemm__wasmsimd',
  'f32_gemm_tiles__wasmsimd',
  'f32_gemm_scratch_size',
  'f32_gemm_mr',
  'f32_gemm_nr',
  'kernels_isa',
] as const;

/** Narrow a WebAssembly instance's exports to GemmExports, throwing if a function is missing. */
export function asGemmExports(exports: WebAssembly.Exports): GemmExports {
  for (const name of GEMM_EXPORT_NAMES) {
    if (typeof exports[name] !== 'function') throw new Error(`kernels module lacks export ${name}`);
  }
  return exports as unknown as GemmExports;
}
