// ISA selection shared by every kernel. The same sources compile to two modules: with
// `--enable relaxed-simd` ASC_FEATURE_RELAXED_SIMD is true and multiply-add is one fused
// `f32x4.relaxed_madd` (vfmadd231ps on x64); without it, a plain `f32x4.mul` + `f32x4.add`.
// The branch is resolved at compile time, so the unused instruction never reaches the binary.

/** Multiply-add `a * b + c` on four f32 lanes, fused when relaxed SIMD is enabled. */
// @ts-ignore: decorator
@inline export function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}

/** Rows in the GEMM register tile (MR). V8 on x64 allocates 15 xmm registers (xmm15 is its
 *  scratch): 6x8 FMA uses 12 accumulators + 2 B vectors + 1 broadcast = 15; mul+add needs one
 *  more temporary, so the plain-SIMD build uses 5x8 (14) to avoid spilling in the k loop. */
export const GEMM_MR: i32 = ASC_FEATURE_RELAXED_SIMD ? 6 : 5;

/** Columns in the GEMM register tile (NR): two f32x4 vectors. */
export const GEMM_NR: i32 = 8;

/** Micro-kernel flag: start accumulators from the C tile (beta = 1, or a later K block). */
export const UK_LOAD_C: u32 = 1;
/** Micro-kernel flag: add bias[0..8) to every row before accumulating. */
export const UK_BIAS: u32 = 2;
/** Micro-kernel flag: clamp the result at 0 before storing (fused ReLU on the last K block). */
export const UK_RELU: u32 = 4;
