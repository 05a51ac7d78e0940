// Column sums of a row-major [rows, cols] f32 matrix: tfjs's Sum over leading axes, which is how every
// bias gradient is reduced (over the batch, or over batch, height and width of NHWC). The rows are cut
// into fixed blocks, planned from the shape alone (src/kernels/ops/sum.ts); each block writes the column sums
// of its rows to a partial row of its own, and the partial rows are added in block order. The result is
// therefore the same for any number of threads. Inside a block, rows are summed in runs of SUM_RUN, each
// run's total then added to the block total, which keeps the f32 rounding error to about
// (SUM_RUN + rows / SUM_RUN) ulps instead of rows.
//
// The loops go run by run, and inside a run column group by column group: a run's rows (64 of them, 8 KB
// at the CNN's 32 channels) stay in L1 while each group of 16 columns is summed from them, so the block is
// read from memory once. (Group by group over the whole block read it once per group: a block of 5,440
// rows of 32 channels is 696 KB, more than a 512 KB L2.) Each column's additions come in the same order
// either way, so the sums are the same bits.
//
// ReLU's gradient can come first (f32_relu_grad_sum_rows_blocks): dz = dy * step(y), written out and summed
// in the same pass, as f32_relu_grad then this kernel would give it.

/** Rows summed into a fresh accumulator before it joins the block total. */
const SUM_RUN: i32 = 64;

/** dy * step(y) on four lanes at byte offset o, as f32_relu_grad computes it (NaN in y gives NaN), written to dz. */
// @ts-ignore: decorator
@inline function grad4(dy: usize, y: usize, dz: usize, o: usize): v128 {
  const v = v128.load(y + o);
  const step = v128.bitselect(v, v128.bitselect(f32x4.splat(1), f32x4.splat(0), f32x4.gt(v, f32x4.splat(0))), f32x4.ne(v, v));
  const g = f32x4.mul(v128.load(dy + o), step);
  v128.store(dz + o, g);
  return g;
}

/** Four lanes of the summed matrix at byte offset o: x itself, or ReLU's gradient of (dy = x, y). */
// @ts-ignore: decorator
@inline function value4(x: usize, y: usize, dz: usize, o: usize, relu: bool): v128 {
  return relu ? grad4(x, y, dz, o) : v128.load(x + o);
}

// @ts-ignore: decorator
@inline function value1(x: usize, y: usize, dz: usize, o: usize, relu: bool): f32 {
  if (!relu) return load<f32>(x + o);
  const v = load<f32>(y + o);
  const g = load<f32>(x + o) * (v != v ? v : v > 0 ? <f32>1 : <f32>0);
  store<f32>(dz + o, g);
  return g;
}

/** dst[0..4) += a, four lanes. */
// @ts-ignore: decorator
@inline function addTo(dst: usize, a: v128): void {
  v128.store(dst, f32x4.add(v128.load(dst), a));
}

/**
 * The column sums of rows [r0, r1) into dst[0..cols), which starts at +0 (0 + a is a, as a fresh
 * accumulator gives). `relu` is a constant at each call, so each entry point compiles to one loop nest.
 */
// @ts-ignore: decorator
@inline function blockSums(x: usize, y: usize, dz: usize, cols: i32, r0: i32, r1: i32, dst: usize, relu: bool): void {
  const stride = <usize>cols << 2;
  memory.fill(dst, 0, stride);
  for (let r = r0; r < r1; r += SUM_RUN) {
    const stop = min(r + SUM_RUN, r1);
    const first = <usize>r * stride;
    let c = 0;
    for (; c + 16 <= cols; c += 16) {
      let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
      let o = first + (<usize>c << 2);
      for (let k = r; k < stop; k++) {
        a0 = f32x4.add(a0, value4(x, y, dz, o, relu));
        a1 = f32x4.add(a1, value4(x, y, dz, o + 16, relu));
        a2 = f32x4.add(a2, value4(x, y, dz, o + 32, relu));
        a3 = f32x4.add(a3, value4(x, y, dz, o + 48, relu));
        o += stride;
      }
      const t = dst + (<usize>c << 2);
      addTo(t, a0);
      addTo(t + 16, a1);
      addTo(t + 32, a2);
      addTo(t + 48, a3);
    }
    for (; c + 4 <= cols; c += 4) {
      let a = f32x4.splat(0);
      let o = first + (<usize>c << 2);
      for (let k = r; k < stop; k++) {
        a = f32x4.add(a, value4(x, y, dz, o, relu));
        o += stride;
      }
      addTo(dst + (<usize>c << 2), a);
    }
    for (; c < cols; c++) {
      let a: f32 = 0;
      let o = first + (<usize>c << 2);
      for (let k = r; k < stop; k++) {
        a += value1(x, y, dz, o, relu);
        o += stride;
      }
      const t = dst + (<usize>c << 2);
      store<f32>(t, load<f32>(t) + a);
    }
  }
}

/** Column sums of each row block in [lo, hi) of `block_rows` rows, into partial row `block` of `partial`. */
export function f32_sum_rows_blocks__wasmsimd(
  x: usize, rows: i32, cols: i32, block_rows: i32, partial: usize,
  lo: i32, hi: i32, thread: i32,
): void {
  for (let block = lo; block < hi; block++) {
    const r0 = block * block_rows;
    blockSums(x, 0, 0, cols, r0, min(r0 + block_rows, rows), partial + <usize>block * (<usize>cols << 2), false);
  }
}

/**
 * For each row block in [lo, hi): dz = dy * step(y) over its rows (ReLU's gradient from its output y), and
 * their column sums into partial row `block` of `partial`, as f32_relu_grad then f32_sum_rows_blocks.
 */
export function f32_relu_grad_sum_rows_blocks__wasmsimd(
  dy: usize, y: usize, dz: usize, rows: i32, cols: i32, block_rows: i32, partial: usize,
  lo: i32, hi: i32, thread: i32,
): void {
  for (let block = lo; block < hi; block++) {
    const r0 = block * block_rows;
    blockSums(dy, y, dz, cols, r0, min(r0 + block_rows, rows), partial + <usize>block * (<usize>cols << 2), true);
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
