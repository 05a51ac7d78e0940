// The build's GEMM micro-kernel behind one name, for the convolution drivers: 6x8 with relaxed-SIMD
// FMA, 5x8 with plain SIMD (see isa.ts). Resolved at compile time; the other is never linked in.
import { f32_gemm_ukernel_6x8 } from "./ukernel_6x8";
import { f32_gemm_ukernel_5x8 } from "./ukernel_5x8";
import { f32_gemm_ukernel_5x8_c4, f32_gemm_ukernel_6x8_c4 } from "./ukernel_c4";

/** MR x 8 tile: C = init + A·Bp, element (r, k) of A at a + 4r + k*ak, Bp a k-major 8-wide panel,
 *  C at c with row stride ldc bytes; flags are the UK_* bits of isa.ts. */
// @ts-ignore: decorator
@inline
export function convUkernel(kc: i32, a: usize, ak: usize, b: usize, c: usize, ldc: usize, bias: usize, flags: u32): void {
  if (ASC_FEATURE_RELAXED_SIMD) f32_gemm_ukernel_6x8(kc, a, ak, b, c, ldc, bias, flags);
  else f32_gemm_ukernel_5x8(kc, a, ak, b, c, ldc, bias, flags);
}

/** MR x 8 tile: C = A·Bp with A in groups of four k per row (ukernel_c4.ts), kc a multiple of 4. */
// @ts-ignore: decorator
@inline
export function convUkernelC4(kc: i32, a: usize, b: usize, c: usize, ldc: usize): void {
  if (ASC_FEATURE_RELAXED_SIMD) f32_gemm_ukernel_6x8_c4(kc, a, b, c, ldc);
  else f32_gemm_ukernel_5x8_c4(kc, a, b, c, ldc);
}
