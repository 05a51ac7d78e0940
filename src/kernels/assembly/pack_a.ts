// Packing of MR-row strips of A into k-major groups of MR floats: element (r, k) of the strip goes
// to dst + 4*(k*MR + r), so the micro-kernel broadcasts each A value from one pointer with an
// immediate offset. Reading a row-major A in place instead needs MR row pointers, and the extra
// integer work per k step cost 15% (46 vs 55 GFLOP/s for 6x8 in L2); packing costs less even when
// a strip is reused by only the 4 panels of an N = 32 GEMM.
import { GEMM_MR as MR } from "./isa";

/** Pack a full MR-row strip of row-major A (a = &A[i][k0], lda bytes per row) for kc columns into
 *  kc groups of MR floats at dst, transposing 4x4 blocks with shuffles. */
export function f32_pack_a_mr(kc: i32, a: usize, lda: usize, dst: usize): void {
  const g: usize = <usize>MR << 2;
  const r4 = a + (lda << 2);
  let k = 0;
  for (; k + 4 <= kc; k += 4) {
    const o = <usize>k << 2;
    // Rows 0-3: one 4x4 transpose gives four k groups of rows 0..3.
    const x0 = v128.load(a + o), x1 = v128.load(a + lda + o);
    const x2 = v128.load(a + lda * 2 + o), x3 = v128.load(a + lda * 3 + o);
    const t0 = i32x4.shuffle(x0, x1, 0, 4, 1, 5);
    const t1 = i32x4.shuffle(x0, x1, 2, 6, 3, 7);
    const t2 = i32x4.shuffle(x2, x3, 0, 4, 1, 5);
    const t3 = i32x4.shuffle(x2, x3, 2, 6, 3, 7);
    const d = dst + <usize>k * g;
    v128.store(d, i32x4.shuffle(t0, t2, 0, 1, 4, 5));
    v128.store(d + g, i32x4.shuffle(t0, t2, 2, 3, 6, 7));
    v128.store(d + g * 2, i32x4.shuffle(t1, t3, 0, 1, 4, 5));
    v128.store(d + g * 3, i32x4.shuffle(t1, t3, 2, 3, 6, 7));
    // Rows 4.. (one row for MR = 5, two for MR = 6) go after the first four of each group.
    const y4 = v128.load(r4 + o);
    if (MR == 6) {
      const y5 = v128.load(r4 + lda + o);
      const p0 = i32x4.shuffle(y4, y5, 0, 4, 1, 5);
      const p1 = i32x4.shuffle(y4, y5, 2, 6, 3, 7);
      v128.store64_lane(d, p0, 0, 16);
      v128.store64_lane(d + g, p0, 1, 16);
      v128.store64_lane(d + g * 2, p1, 0, 16);
      v128.store64_lane(d + g * 3, p1, 1, 16);
    } else {
      v128.store32_lane(d, y4, 0, 16);
      v128.store32_lane(d + g, y4, 1, 16);
      v128.store32_lane(d + g * 2, y4, 2, 16);
      v128.store32_lane(d + g * 3, y4, 3, 16);
    }
  }
  if (k < kc) f32_pack_a_strip(kc - k, MR, a + (<usize>k << 2), lda, 4, dst + <usize>k * g);
}

/** Pack mr <= MR rows of A whose element (r, k) is at a + r*rs + k*ks into kc groups of MR floats
 *  at dst, zero-filling rows mr..MR: the scalar path for edge strips and K remainders, and for a
 *  transposed A (rs = 4, ks = lda) whose in-place read would run past the last row. */
export function f32_pack_a_strip(kc: i32, mr: i32, a: usize, rs: usize, ks: usize, dst: usize): void {
  for (let k = 0; k < kc; k++) {
    let r = 0;
    for (; r < mr; r++) store<f32>(dst + (<usize>r << 2), load<f32>(a + <usize>r * rs));
    for (; r < MR; r++) store<f32>(dst + (<usize>r << 2), 0);
    a += ks;
    dst += <usize>MR << 2;
  }
}

/** Pack mr <= MR rows of a transposed A (stored [K][M]: element (r, k) at a + 4r + k*lda) into kc
 *  groups of MR floats at dst, zero-filling rows mr..MR. */
export function f32_pack_a_strip_t(kc: i32, mr: i32, a: usize, lda: usize, dst: usize): void {
  if (mr < MR) {
    f32_pack_a_strip(kc, mr, a, 4, lda, dst);
    return;
  }
  const g: usize = <usize>MR << 2;
  for (let k = 0; k < kc; k++) {
    v128.store(dst, v128.load(a));
    if (MR == 6) store<u64>(dst, load<u64>(a, 16), 16);
    else store<f32>(dst, load<f32>(a, 16), 16);
    a += lda;
    dst += g;
  }
}

/** Read one word per 64-byte line of rows [0, rows) x bytes [0, 4*kc) of a row-major A (row stride
 *  lda bytes), row after row, and store their sum to sink so the loads are kept. */
export function f32_touch_rows(rows: i32, kc: i32, a: usize, lda: usize, sink: usize): void {
  // f32_pack_a_mr reads a strip as MR interleaved streams only a few lines long (576 bytes for the
  // im2col GEMM with K = 144), too short for the hardware prefetcher to follow, and stalls on each
  // miss. This pass reads the same lines first as one long sequential stream, which the
  // prefetcher does follow: conv2's im2col GEMM went from 38 to 45 GFLOP/s, in-cache shapes
  // unchanged.
  let acc: i32 = 0;
  const bytes = <usize>kc << 2;
  for (let r = 0; r < rows; r++) {
    for (let o: usize = 0; o < bytes; o += 64) acc += load<i32>(a + o);
    a += lda;
  }
  store<i32>(sink, acc);
}
