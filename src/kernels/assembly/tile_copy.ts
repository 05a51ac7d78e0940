// tfjs's Tile op (not the GEMM's edge tiles, tile.ts): the output is copies of the input laid side by side along
// each axis. tfjs's batch-norm gradient tiles per-channel vectors to whole activations this way (a [1,1,1,C]
// vector to [N,H,W,C]), and the stock kernel spends about 50 ns an element on index arithmetic. The caller
// collapses the shapes (src/kernels/ops/tile.ts) to at most four outer axes and an inner row, so the work is
// rows of plain copies: one source row per output row, found by an odometer over the outer axes, never a
// division per element. Elements are copied as 32-bit words, so float32 and int32 alike, NaN payloads kept.

// @ts-ignore: decorator
@inline function copyRow(dst: usize, src: usize, bytes: usize): void {
  let o: usize = 0;
  for (; o + 64 <= bytes; o += 64) {
    v128.store(dst + o, v128.load(src + o));
    v128.store(dst + o + 16, v128.load(src + o + 16));
    v128.store(dst + o + 32, v128.load(src + o + 32));
    v128.store(dst + o + 48, v128.load(src + o + 48));
  }
  for (; o + 16 <= bytes; o += 16) v128.store(dst + o, v128.load(src + o));
  for (; o < bytes; o += 4) store<u32>(dst + o, load<u32>(src + o));
}

/**
 * Row copies [lo, hi) of Tile: the output has outer axes of extents o0..o3 (each a multiple of the input's i0..i3)
 * and rows of `inner_reps` copies of an input row of `inner` 32-bit words; copy u is copy u % inner_reps of output
 * row u / inner_reps, so a tile that collapses to one long row still splits across threads. Input and output are
 * dense row-major.
 */
export function x32_tile__wasmsimd(
  x: usize, out: usize,
  o0: i32, o1: i32, o2: i32, o3: i32,
  i0: i32, i1: i32, i2: i32, i3: i32,
  inner: i32, inner_reps: i32,
  lo: i32, hi: i32, thread: i32,
): void {
  if (lo >= hi) return;
  const rowBytes = <usize>inner << 2;
  const s3 = rowBytes;
  const s2 = s3 * <usize>i3;
  const s1 = s2 * <usize>i2;
  const s0 = s1 * <usize>i1;
  // Output coordinates c of the row copy lo is in, and the input coordinates m = c mod i it reads.
  let k = lo % inner_reps;
  let t = lo / inner_reps;
  let c3 = t % o3;
  t /= o3;
  let c2 = t % o2;
  t /= o2;
  let c1 = t % o1;
  let c0 = t / o1;
  let m3 = c3 % i3;
  let m2 = c2 % i2;
  let m1 = c1 % i1;
  let m0 = c0 % i0;
  let src = x + <usize>m0 * s0 + <usize>m1 * s1 + <usize>m2 * s2 + <usize>m3 * s3;
  let dst = out + <usize>lo * rowBytes;
  for (let u = lo; u < hi; u++) {
    copyRow(dst, src, rowBytes);
    dst += rowBytes;
    if (++k < inner_reps) continue;
    k = 0;
    // The next output row. Each o is a multiple of its i, so an m wraps to 0 whenever its c does.
    c3++;
    if (++m3 == i3) m3 = 0;
    if (c3 == o3) {
      c3 = 0;
      c2++;
      if (++m2 == i2) m2 = 0;
      if (c2 == o2) {
        c2 = 0;
        c1++;
        if (++m1 == i1) m1 = 0;
        if (c1 == o1) {
          c1 = 0;
          c0++;
          if (++m0 == i0) m0 = 0;
        }
      }
    }
    src = x + <usize>m0 * s0 + <usize>m1 * s1 + <usize>m2 * s2 + <usize>m3 * s3;
  }
}
