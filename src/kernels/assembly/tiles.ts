// Thread-pool entry point. KernelPool.parallelFor (src/kernels/runtime) calls an export as
// fn(...args, lo, hi, thread) for contiguous chunks [lo, hi) of a range; here the range counts
// register tiles along the one dimension being split, so chunks map to disjoint blocks of C.
import { GEMM_MR as MR, GEMM_NR as NR } from "./isa";
import { f32_gemm__wasmsimd } from "./gemm";

/** Compute MR-row tiles [lo, hi) of C (alongN = 0) or NR-column tiles [lo, hi) (alongN = 1) of
 *  the f32_gemm__wasmsimd problem given by the leading arguments, using scratch + thread * scratchStride as
 *  this thread's private scratch (scratchStride >= f32_gemm_scratch_size(m, n, k)). */
export function f32_gemm_tiles__wasmsimd(
  m: i32, n: i32, k: i32,
  a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32,
  bias: usize, flags: u32,
  alongN: i32, scratch: usize, scratchStride: usize,
  lo: i32, hi: i32, thread: i32,
): void {
  const s = scratch + <usize>thread * scratchStride;
  if (alongN) f32_gemm__wasmsimd(m, n, k, a, lda, b, ldb, c, ldc, bias, flags, 0, m, lo * NR, hi * NR, s);
  else f32_gemm__wasmsimd(m, n, k, a, lda, b, ldb, c, ldc, bias, flags, lo * MR, hi * MR, 0, n, s);
}
