// Blocked f32 GEMM driver: C[M,N] = op(A)[M,K] · op(B)[K,N] (+ C) (+ bias[N]) (then ReLU).
// An NC-column by KC-row block of op(B) is packed into per-thread scratch as 8-wide panels and
// reused by every MR-row strip of A; MC rows of A are packed k-major per strip, and each strip
// stays in L1 while the micro-kernel sweeps it across all panels of the block.
import { GEMM_MR as MR, GEMM_NR as NR, UK_BIAS, UK_LOAD_C, UK_RELU } from "./isa";
import { f32_gemm_ukernel_6x8 } from "./ukernel_6x8";
import { f32_gemm_ukernel_5x8 } from "./ukernel_5x8";
import { f32_pack_b_nr8__wasmsimd, f32_pack_bt_nr8__wasmsimd } from "./pack";
import { f32_pack_a_mr, f32_pack_a_strip, f32_pack_a_strip_t, f32_touch_rows } from "./pack_a";
import { f32_tile_load, f32_tile_store } from "./tile";

/** f32_gemm__wasmsimd flag: A is stored [K][M] (lda >= M) and used transposed. */
export const GEMM_TRANSPOSE_A: u32 = 1;
/** f32_gemm__wasmsimd flag: B is stored [N][K] (ldb >= K) and used transposed. */
export const GEMM_TRANSPOSE_B: u32 = 2;
/** f32_gemm__wasmsimd flag: accumulate into C (beta = 1) instead of overwriting it. */
export const GEMM_ACCUMULATE: u32 = 4;
/** f32_gemm__wasmsimd flag: apply ReLU to the final result. */
export const GEMM_RELU: u32 = 8;
/** f32_gemm__wasmsimd flag: add bias[N] (f32 at the bias pointer) to every row. */
export const GEMM_BIAS: u32 = 16;

// K block: 384 rows of an 8-wide panel is 12 KB, streamed from L2 by each micro-kernel call next
// to a 9 KB A strip in L1. N block: 384 x 384 floats = 576 KB of packed B per thread, about half
// of a Zen 4 core's 1 MB L2. Measured against KC in {128, 256, 512} x NC in {256, 512, 1024}:
// all within 5%; 384 x 384 was at or near the best on every FC and im2col shape.
const KC: i32 = 384;
const NC: i32 = 384;
// M block: MC rows of A are packed together (MC x KC floats, 144 KB for MR = 6).
const MC: i32 = 16 * MR;

// @ts-ignore: decorator
@inline function min(a: i32, b: i32): i32 { return a < b ? a : b; }
// @ts-ignore: decorator
@inline function roundUp(x: i32, q: i32): i32 { return (x + q - 1) / q * q; }
// Split `total` into equal blocks of at most `max` (so there is no tiny last block), rounded up to `q`.
// @ts-ignore: decorator
@inline function blockSize(total: i32, max: i32, q: i32): i32 {
  const blocks = (total + max - 1) / max;
  return roundUp((total + blocks - 1) / blocks, q);
}

/** Bytes of per-thread scratch that f32_gemm__wasmsimd needs for any sub-range of an M x N x K problem. */
export function f32_gemm_scratch_size(m: i32, n: i32, k: i32): i32 {
  const kcb = blockSize(k > 0 ? k : 1, KC, 4);
  const ncb = roundUp(min(n > 0 ? n : 1, NC), NR);
  return (kcb * ncb + kcb * MC + MR * NR) * 4 + 64;
}

// The ISA's micro-kernel (element (r, k) of A at a + 4r + k*ak).
// @ts-ignore: decorator
@inline function ukernel(kc: i32, a: usize, ak: usize, b: usize, c: usize, ldc: usize, bias: usize, fl: u32): void {
  if (ASC_FEATURE_RELAXED_SIMD) f32_gemm_ukernel_6x8(kc, a, ak, b, c, ldc, bias, fl);
  else f32_gemm_ukernel_5x8(kc, a, ak, b, c, ldc, bias, fl);
}

/** Compute rows [m0, m1) x columns [n0, n1) of C = op(A)·op(B) (+C)(+bias)(ReLU); pointers are
 *  byte addresses, lda/ldb/ldc are row strides in floats of the stored matrices, flags are the
 *  GEMM_* bits, scratch is f32_gemm_scratch_size(m, n, k) private bytes. Threads given disjoint
 *  ranges write disjoint parts of C and share nothing else, so they need no synchronisation. */
export function f32_gemm__wasmsimd(
  m: i32, n: i32, k: i32,
  a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32,
  bias: usize, flags: u32,
  m0: i32, m1: i32, n0: i32, n1: i32,
  scratch: usize,
): void {
  if (m0 < 0) m0 = 0;
  if (n0 < 0) n0 = 0;
  if (m1 > m) m1 = m;
  if (n1 > n) n1 = n;
  if (m0 >= m1 || n0 >= n1) return;
  if (k < 0) k = 0;
  const at = (flags & GEMM_TRANSPOSE_A) != 0;
  const bt = (flags & GEMM_TRANSPOSE_B) != 0;
  const ldaB = <usize>lda << 2, ldbB = <usize>ldb << 2, ldcB = <usize>ldc << 2;
  const kcb = blockSize(k > 0 ? k : 1, KC, 4);
  const ncb = blockSize(n1 - n0, NC, NR);
  const bpack = (scratch + 63) & ~<usize>63;
  const apack = bpack + (<usize>(kcb * roundUp(ncb, NR)) << 2);
  const tile = apack + (<usize>(kcb * MC) << 2);
  const firstFlags: u32 = ((flags & GEMM_ACCUMULATE) ? UK_LOAD_C : 0) | ((flags & GEMM_BIAS) ? UK_BIAS : 0);

  for (let jc = n0; jc < n1; jc += ncb) {
    const nc = min(ncb, n1 - jc);
    // do-while so that K = 0 still runs one pass: C = (C) + bias, then ReLU.
    let pc = 0;
    do {
      const kc = min(kcb, k - pc);
      if (bt) f32_pack_bt_nr8__wasmsimd(kc, nc, b + (<usize>jc * ldb + pc) * 4, ldbB, bpack);
      else f32_pack_b_nr8__wasmsimd(kc, nc, b + (<usize>pc * ldb + jc) * 4, ldbB, bpack);
      let kf: u32 = pc == 0 ? firstFlags : UK_LOAD_C;
      if ((flags & GEMM_RELU) && pc + kc >= k) kf |= UK_RELU;
      const panelBytes = <usize>(kc * NR) << 2;
      const stripBytes = <usize>(kc * MR) << 2;

      // Pack MC rows of A at once, first reading a row-major block as one sequential stream (the
      // edge tile's scratch takes the dummy sum): see f32_touch_rows.
      for (let ic = m0; ic < m1; ic += MC) {
        const mc = min(MC, m1 - ic);
        if (!at) f32_touch_rows(mc, kc, a + (<usize>ic * lda + pc) * 4, ldaB, tile);
        let dst = apack;
        for (let i = ic; i < ic + mc; i += MR) {
          const mr = min(MR, ic + mc - i);
          if (at) f32_pack_a_strip_t(kc, mr, a + (<usize>pc * lda + i) * 4, ldaB, dst);
          else if (mr == MR) f32_pack_a_mr(kc, a + (<usize>i * lda + pc) * 4, ldaB, dst);
          else f32_pack_a_strip(kc, mr, a + (<usize>i * lda + pc) * 4, ldaB, 4, dst);
          dst += stripBytes;
        }
        let ap = apack;
        for (let i = ic; i < ic + mc; i += MR) {
          const mr = min(MR, ic + mc - i);
          let bp = bpack;
          for (let jp = 0; jp < nc; jp += NR) {
            const nr = min(NR, nc - jp);
            const j = jc + jp;
            const cp = c + (<usize>i * ldc + j) * 4;
            const bb = bias + (<usize>j << 2);
            if (mr == MR && nr == NR) {
              ukernel(kc, ap, <usize>MR << 2, bp, cp, ldcB, bb, kf);
            } else {
              f32_tile_load(tile, cp, ldcB, mr, nr, bb, kf);
              ukernel(kc, ap, <usize>MR << 2, bp, tile, <usize>NR << 2, 0, UK_LOAD_C | (kf & UK_RELU));
              f32_tile_store(tile, cp, ldcB, mr, nr);
            }
            bp += panelBytes;
          }
          ap += stripBytes;
        }
      }
      pc += kc;
    } while (pc < k);
  }
}
