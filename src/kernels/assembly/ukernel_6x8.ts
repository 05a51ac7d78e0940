// 6x8 f32 GEMM micro-kernel (two f32x4 columns x 6 rows of accumulators).
// Used by the relaxed-SIMD build, where madd is one FMA: 12 accumulators + 2 B vectors + 1 broadcast
// fill V8's 15 allocatable xmm registers exactly (measured 55-57 GFLOP/s in L2, no spills).
import { madd, UK_BIAS, UK_LOAD_C, UK_RELU } from "./isa";

/** f32 GEMM micro-kernel, 6x8 tile: C[6,8] = init + A[6,kc] · Bp[kc,8], where element (r, k) of A
 *  is at a + 4r + k*ak (a packed strip, ak = 24, or a transposed A read in place, ak = lda bytes),
 *  Bp is an 8-column panel packed k-major, C a full 6x8 tile at c with row stride ldc bytes.
 *  init is 0, or the C tile with UK_LOAD_C, plus bias[0..8) with UK_BIAS; UK_RELU clamps at 0. */
export function f32_gemm_ukernel_6x8(
  kc: i32, a: usize, ak: usize, b: usize, c: usize, ldc: usize, bias: usize, flags: u32,
): void {
  const z = f32x4.splat(0);
  let c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z, c40 = z, c41 = z, c50 = z, c51 = z;
  if (flags & UK_LOAD_C) {
    let p = c;
    c00 = v128.load(p); c01 = v128.load(p, 16); p += ldc;
    c10 = v128.load(p); c11 = v128.load(p, 16); p += ldc;
    c20 = v128.load(p); c21 = v128.load(p, 16); p += ldc;
    c30 = v128.load(p); c31 = v128.load(p, 16); p += ldc;
    c40 = v128.load(p); c41 = v128.load(p, 16); p += ldc;
    c50 = v128.load(p); c51 = v128.load(p, 16);
  }
  if (flags & UK_BIAS) {
    const b0 = v128.load(bias), b1 = v128.load(bias, 16);
    c00 = f32x4.add(c00, b0); c01 = f32x4.add(c01, b1);
    c10 = f32x4.add(c10, b0); c11 = f32x4.add(c11, b1);
    c20 = f32x4.add(c20, b0); c21 = f32x4.add(c21, b1);
    c30 = f32x4.add(c30, b0); c31 = f32x4.add(c31, b1);
    c40 = f32x4.add(c40, b0); c41 = f32x4.add(c41, b1);
    c50 = f32x4.add(c50, b0); c51 = f32x4.add(c51, b1);
  }
  // One k step per iteration: unrolling lets TurboFan hoist the next step's loads and spill.
  for (let k = 0; k < kc; k++) {
    const b0 = v128.load(b), b1 = v128.load(b, 16);
    let av = v128.load32_splat(a);
    c00 = madd(av, b0, c00); c01 = madd(av, b1, c01);
    av = v128.load32_splat(a, 4);
    c10 = madd(av, b0, c10); c11 = madd(av, b1, c11);
    av = v128.load32_splat(a, 8);
    c20 = madd(av, b0, c20); c21 = madd(av, b1, c21);
    av = v128.load32_splat(a, 12);
    c30 = madd(av, b0, c30); c31 = madd(av, b1, c31);
    av = v128.load32_splat(a, 16);
    c40 = madd(av, b0, c40); c41 = madd(av, b1, c41);
    av = v128.load32_splat(a, 20);
    c50 = madd(av, b0, c50); c51 = madd(av, b1, c51);
    a += ak; b += 32;
  }
  const c0 = c;
  v128.store(c, c00); v128.store(c, c01, 16); c += ldc;
  v128.store(c, c10); v128.store(c, c11, 16); c += ldc;
  v128.store(c, c20); v128.store(c, c21, 16); c += ldc;
  v128.store(c, c30); v128.store(c, c31, 16); c += ldc;
  v128.store(c, c40); v128.store(c, c41, 16); c += ldc;
  v128.store(c, c50); v128.store(c, c51, 16);
  // ReLU as a second pass over the stored tile: any arithmetic on the accumulators after the
  // loop makes TurboFan's register allocator spill inside the loop (measured 26 vs 48 GFLOP/s).
  if (flags & UK_RELU) f32_relu_tile_6x8(c0, ldc);
}

// Clamp a stored 6x8 tile at 0. pmax(x, 0) is one maxps and keeps NaN, like x < 0 ? 0 : x.
function f32_relu_tile_6x8(c: usize, ldc: usize): void {
  const z = f32x4.splat(0);
  for (let r = 0; r < 6; r++) {
    v128.store(c, f32x4.pmax(v128.load(c), z));
    v128.store(c, f32x4.pmax(v128.load(c, 16), z), 16);
    c += ldc;
  }
}
