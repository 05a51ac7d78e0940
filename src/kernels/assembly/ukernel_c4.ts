// GEMM micro-kernels over an A strip whose rows hold their k values in groups of four: element (r, k)
// at a + (k/4)*16*MR + 16r + 4(k%4). That is the layout a Winograd input transform produces when it
// stores each tile's four channels as one vector, so the transform needs no transpose into the
// k-major strip the plain micro-kernels read. Same register tiles and multiply-adds as ukernel_6x8.ts
// and ukernel_5x8.ts, in the same order, so the same bits; C = A·Bp only (no bias, ReLU or load).

import { madd } from "./isa";

/** 6x8 tile: C[6,8] = A[6,kc] · Bp[kc,8], A in groups of four k (see above), kc a multiple of 4, Bp an
 *  8-column panel packed k-major, C at c with row stride ldc bytes. */
export function f32_gemm_ukernel_6x8_c4(kc: i32, a: usize, b: usize, c: usize, ldc: usize): void {
  const z = f32x4.splat(0);
  let c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z, c40 = z, c41 = z, c50 = z, c51 = z;
  // One k step per iteration (as in ukernel_6x8.ts); after every fourth, a moves to the next group.
  for (let k = 0; k < kc; k++) {
    const b0 = v128.load(b), b1 = v128.load(b, 16);
    let av = v128.load32_splat(a);
    c00 = madd(av, b0, c00); c01 = madd(av, b1, c01);
    av = v128.load32_splat(a, 16);
    c10 = madd(av, b0, c10); c11 = madd(av, b1, c11);
    av = v128.load32_splat(a, 32);
    c20 = madd(av, b0, c20); c21 = madd(av, b1, c21);
    av = v128.load32_splat(a, 48);
    c30 = madd(av, b0, c30); c31 = madd(av, b1, c31);
    av = v128.load32_splat(a, 64);
    c40 = madd(av, b0, c40); c41 = madd(av, b1, c41);
    av = v128.load32_splat(a, 80);
    c50 = madd(av, b0, c50); c51 = madd(av, b1, c51);
    a += (k & 3) == 3 ? 6 * 16 - 12 : 4;
    b += 32;
  }
  v128.store(c, c00); v128.store(c, c01, 16); c += ldc;
  v128.store(c, c10); v128.store(c, c11, 16); c += ldc;
  v128.store(c, c20); v128.store(c, c21, 16); c += ldc;
  v128.store(c, c30); v128.store(c, c31, 16); c += ldc;
  v128.store(c, c40); v128.store(c, c41, 16); c += ldc;
  v128.store(c, c50); v128.store(c, c51, 16);
}

/** 5x8 tile: as f32_gemm_ukernel_6x8_c4 with 5 rows (groups of four k are 16*5 bytes apart). */
export function f32_gemm_ukernel_5x8_c4(kc: i32, a: usize, b: usize, c: usize, ldc: usize): void {
  const z = f32x4.splat(0);
  let c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z, c40 = z, c41 = z;
  for (let k = 0; k < kc; k++) {
    const b0 = v128.load(b), b1 = v128.load(b, 16);
    let av = v128.load32_splat(a);
    c00 = madd(av, b0, c00); c01 = madd(av, b1, c01);
    av = v128.load32_splat(a, 16);
    c10 = madd(av, b0, c10); c11 = madd(av, b1, c11);
    av = v128.load32_splat(a, 32);
    c20 = madd(av, b0, c20); c21 = madd(av, b1, c21);
    av = v128.load32_splat(a, 48);
    c30 = madd(av, b0, c30); c31 = madd(av, b1, c31);
    av = v128.load32_splat(a, 64);
    c40 = madd(av, b0, c40); c41 = madd(av, b1, c41);
    a += (k & 3) == 3 ? 5 * 16 - 12 : 4;
    b += 32;
  }
  v128.store(c, c00); v128.store(c, c01, 16); c += ldc;
  v128.store(c, c10); v128.store(c, c11, 16); c += ldc;
  v128.store(c, c20); v128.store(c, c21, 16); c += ldc;
  v128.store(c, c30); v128.store(c, c31, 16); c += ldc;
  v128.store(c, c40); v128.store(c, c41, 16);
}
