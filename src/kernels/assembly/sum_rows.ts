// Column sums of a row-major [rows, cols] f32 matrix: tfjs's Sum over leading axes, which is how every
// bias gradient is reduced (over the batch, or over batch, height and width of NHWC). The rows are cut
// into fixed blocks, planned from the shape alone (src/kernels/ops/sum.ts); each block writes the column sums
// of its rows to a partial row of its own, and the partial rows are added in block order. The result is
// therefore the same for any number of threads. Inside a block, rows are summed in runs of SUM_RUN, each
// run's total then added to the block total, which keeps the f32 rounding error to about
// (SUM_RUN + rows / SUM_RUN) ulps instead of rows.

/** Rows summed into a fresh accumulator before it joins the block total. */
export const SUM_RUN: i32 = 64;

/** Column sums over rows [r0, r1) of the 16 columns starting at x, into dst[0..16). */
// @ts-ignore: decorator
@inline function sum16(x: usize, stride: usize, r0: i32, r1: i32, dst: usize): void {
  let t0 = f32x4.splat(0), t1 = f32x4.splat(0), t2 = f32x4.splat(0), t3 = f32x4.splat(0);
  for (let r = r0; r < r1; r += SUM_RUN) {
    const stop = min(r + SUM_RUN, r1);
    let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
    let p = x + <usize>r * stride;
    for (let k = r; k < stop; k++) {
      a0 = f32x4.add(a0, v128.load(p));
      a1 = f32x4.add(a1, v128.load(p, 16));
      a2 = f32x4.add(a2, v128.load(p, 32));
      a3 = f32x4.add(a3, v128.load(p, 48));
      p += stride;
    }
    t0 = f32x4.add(t0, a0);
    t1 = f32x4.add(t1, a1);
    t2 = f32x4.add(t2, a2);
    t3 = f32x4.add(t3, a3);
  }
  v128.store(dst, t0);
  v128.store(dst, t1, 16);
  v128.store(dst, t2, 32);
  v128.store(dst, t3, 48);
}

// @ts-ignore: decorator
@inline function sum4(x: usize, stride: usize, r0: i32, r1: i32, dst: usize): void {
  let t = f32x4.splat(0);
  for (let r = r0; r < r1; r += SUM_RUN) {
    const stop = min(r + SUM_RUN, r1);
    let a = f32x4.splat(0);
    let p = x + <usize>r * stride;
    for (let k = r; k < stop; k++) {
      a = f32x4.add(a, v128.load(p));
      p += stride;
    }
    t = f32x4.add(t, a);
  }
  v128.store(dst, t);
}

// @ts-ignore: decorator
@inline function sum1(x: usize, stride: usize, r0: i32, r1: i32, dst: usize): void {
  let t: f32 = 0;
  for (let r = r0; r < r1; r += SUM_RUN) {
    const stop = min(r + SUM_RUN, r1);
    let a: f32 = 0;
    let p = x + <usize>r * stride;
    for (let k = r; k < stop; k++) {
      a += load<f32>(p);
      p += stride;
    }
    t += a;
  }
  store<f32>(dst, t);
}

/** Column sums of each row block in [lo, hi) of `block_rows` rows, into partial row `block` of `partial`. */
export function f32_sum_rows_blocks__wasmsimd(
  x: usize, rows: i32, cols: i32, block_rows: i32, partial: usize,
  lo: i32, hi: i32, thread: i32,
): void {
  const stride = <usize>cols << 2;
  for (let block = lo; block < hi; block++) {
    const r0 = block * block_rows;
    const r1 = min(r0 + block_rows, rows);
    const dst = partial + <usize>block * stride;
    let c = 0;
    for (; c + 16 <= cols; c += 16) sum16(x + (<usize>c << 2), stride, r0, r1, dst + (<usize>c << 2));
    for (; c + 4 <= cols; c += 4) sum4(x + (<usize>c << 2), stride, r0, r1, dst + (<usize>c << 2));
    for (; c < cols; c++) sum1(x + (<usize>c << 2), stride, r0, r1, dst + (<usize>c << 2));
  }
}

/** out[c] = the sum of partial rows 0..blocks-1 at column c, in block order, for columns [lo, hi). */
export function f32_sum_partials__wasmsimd(
  partial: usize, blocks: i32, cols: i32, out: usize,
  lo: i32, hi: i32, thread: i32,
): void {
  const stride = <usize>cols << 2;
  let c = lo;
  for (; c + 4 <= hi; c += 4) {
    let p = partial + (<usize>c << 2);
    let t = f32x4.splat(0);
    for (let b = 0; b < blocks; b++) {
      t = f32x4.add(t, v128.load(p));
      p += stride;
    }
    v128.store(out + (<usize>c << 2), t);
  }
  for (; c < hi; c++) {
    let p = partial + (<usize>c << 2);
    let t: f32 = 0;
    for (let b = 0; b < blocks; b++) {
      t += load<f32>(p);
      p += stride;
    }
    store<f32>(out + (<usize>c << 2), t);
  }
}
