// Packing of B into NR=8 column panels.
// A packed panel holds kc rows of 8 consecutive floats (k-major), so the micro-kernel reads B as
// one contiguous stream with immediate offsets. Packing absorbs transposeB: both layouts produce
// the same panels, and one micro-kernel serves every case. Columns past nc are zero so edge tiles
// compute harmlessly on padding.

/** Pack op(B)[0:kc, 0:nc] of a row-major B (b = &B[k0][j0], ldb bytes per k row) into
 *  ceil(nc/8) panels of kc*8 floats at dst, zero-padding the last panel's missing columns. */
export function f32_pack_b_nr8__wasmsimd(kc: i32, nc: i32, b: usize, ldb: usize, dst: usize): void {
  let j = 0;
  for (; j + 8 <= nc; j += 8) {
    let src = b + (<usize>j << 2);
    let d = dst;
    for (let k = 0; k < kc; k++) {
      v128.store(d, v128.load(src));
      v128.store(d, v128.load(src, 16), 16);
      src += ldb;
      d += 32;
    }
    dst += <usize>kc << 5;
  }
  if (j < nc) packPartialColumns(kc, nc - j, b + (<usize>j << 2), 4, ldb, dst);
}

/** Pack op(B)[0:kc, 0:nc] = Bᵀ of a row-major B stored [N][K] (b = &B[j0][k0], ldb bytes per
 *  stored row) into ceil(nc/8) panels of kc*8 floats at dst, zero-padded like f32_pack_b_nr8__wasmsimd. */
export function f32_pack_bt_nr8__wasmsimd(kc: i32, nc: i32, b: usize, ldb: usize, dst: usize): void {
  let j = 0;
  for (; j + 8 <= nc; j += 8) {
    // Eight stored rows are the panel's eight columns; transpose them 4x4 at a time.
    const r0 = b + <usize>j * ldb;
    const r4 = r0 + (ldb << 2);
    let d = dst;
    let k = 0;
    for (; k + 4 <= kc; k += 4) {
      const o = <usize>k << 2;
      transpose4x4Store(r0 + o, ldb, d);
      transpose4x4Store(r4 + o, ldb, d + 16);
      d += 128;
    }
    for (; k < kc; k++) {
      const o = <usize>k << 2;
      for (let c = 0; c < 8; c++) store<f32>(d + (<usize>c << 2), load<f32>(r0 + <usize>c * ldb + o));
      d += 32;
    }
    dst += <usize>kc << 5;
  }
  if (j < nc) packPartialColumns(kc, nc - j, b + <usize>j * ldb, ldb, 4, dst);
}

// Stores the transpose of the 4x4 block whose rows start at src, src+ld, src+2ld, src+3ld as four
// 4-float groups 32 bytes apart (one per k row of an 8-wide panel).
// @ts-ignore: decorator
@inline function transpose4x4Store(src: usize, ld: usize, d: usize): void {
  const x0 = v128.load(src), x1 = v128.load(src + ld);
  const x2 = v128.load(src + ld * 2), x3 = v128.load(src + ld * 3);
  const t0 = i32x4.shuffle(x0, x1, 0, 4, 1, 5);
  const t1 = i32x4.shuffle(x0, x1, 2, 6, 3, 7);
  const t2 = i32x4.shuffle(x2, x3, 0, 4, 1, 5);
  const t3 = i32x4.shuffle(x2, x3, 2, 6, 3, 7);
  v128.store(d, i32x4.shuffle(t0, t2, 0, 1, 4, 5));
  v128.store(d, i32x4.shuffle(t0, t2, 2, 3, 6, 7), 32);
  v128.store(d, i32x4.shuffle(t1, t3, 0, 1, 4, 5), 64);
  v128.store(d, i32x4.shuffle(t1, t3, 2, 3, 6, 7), 96);
}

// Last panel with nr < 8 columns: element (k, c) at src + k*ks + c*cs; columns nr..7 become 0.
function packPartialColumns(kc: i32, nr: i32, src: usize, cs: usize, ks: usize, dst: usize): void {
  for (let k = 0; k < kc; k++) {
    let c = 0;
    for (; c < nr; c++) store<f32>(dst + (<usize>c << 2), load<f32>(src + <usize>c * cs));
    for (; c < 8; c++) store<f32>(dst + (<usize>c << 2), 0);
    src += ks;
    dst += 32;
  }
}
