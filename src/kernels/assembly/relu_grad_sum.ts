// ReLU's gradient and the bias gradient after it in one pass: dz = dy * step(y), and the column sums of dz
// over its leading axes. Separately these are f32_relu_grad (read dy and y, write dz) and
// f32_sum_rows_blocks (read dz again). Each column is summed as f32_sum_rows_blocks sums it (sum_rows.ts):
// the same row blocks, runs of SUM_RUN rows into a fresh accumulator, run totals added in order, so dz and
// the partial rows are the same bits as the two kernels give in turn. Only the loop nest differs: rows
// outermost, so that dy, y and dz stream through once, with one accumulator per column in scratch (L1).
import { SUM_RUN } from "./sum_rows";

/** dy * step(y) on four lanes, as f32_relu_grad computes it (NaN in y gives NaN). */
// @ts-ignore: decorator
@inline function grad4(dy: usize, y: usize, o: usize): v128 {
  const v = v128.load(y + o);
  const step = v128.bitselect(v, v128.bitselect(f32x4.splat(1), f32x4.splat(0), f32x4.gt(v, f32x4.splat(0))), f32x4.ne(v, v));
  return f32x4.mul(v128.load(dy + o), step);
}

/** dz and the column accumulators for four columns of one row, at byte offsets o (tensors) and c (accumulators). */
// @ts-ignore: decorator
@inline function gradAdd4(dy: usize, y: usize, dz: usize, o: usize, acc: usize): void {
  const g = grad4(dy, y, o);
  v128.store(dz + o, g);
  v128.store(acc, f32x4.add(v128.load(acc), g));
}

/** Sets `cols` floats at p to +0. */
// @ts-ignore: decorator
@inline function zero(p: usize, cols: i32): void {
  memory.fill(p, 0, <usize>cols << 2);
}

/**
 * For each row block in [lo, hi) of `block_rows` rows of the [rows, cols] tensors dy and y: dz = dy * step(y)
 * for its rows, and their column sums into partial row `block` of `partial` (then f32_sum_partials). `runs`
 * holds one row of `cols` floats per block, the current run's accumulators.
 */
export function f32_relu_grad_sum_rows_blocks__wasmsimd(
  dy: usize, y: usize, dz: usize, rows: i32, cols: i32, block_rows: i32, partial: usize, runs: usize,
  lo: i32, hi: i32, thread: i32,
): void {
  const stride = <usize>cols << 2;
  for (let block = lo; block < hi; block++) {
    const r0 = block * block_rows;
    const r1 = min(r0 + block_rows, rows);
    const total = partial + <usize>block * stride;
    const acc = runs + <usize>block * stride;
    zero(total, cols);
    for (let r = r0; r < r1; r += SUM_RUN) {
      const stop = min(r + SUM_RUN, r1);
      zero(acc, cols);
      for (let k = r; k < stop; k++) {
        const row = <usize>k * stride;
        let c = 0;
        for (; c + 16 <= cols; c += 16) {
          const o = row + (<usize>c << 2);
          const a = acc + (<usize>c << 2);
          gradAdd4(dy, y, dz, o, a);
          gradAdd4(dy, y, dz, o + 16, a + 16);
          gradAdd4(dy, y, dz, o + 32, a + 32);
          gradAdd4(dy, y, dz, o + 48, a + 48);
        }
        for (; c + 4 <= cols; c += 4) gradAdd4(dy, y, dz, row + (<usize>c << 2), acc + (<usize>c << 2));
        for (; c < cols; c++) {
          const o = row + (<usize>c << 2);
          const v = load<f32>(y + o);
          const g = load<f32>(dy + o) * (v != v ? v : v > 0 ? <f32>1 : <f32>0);
          store<f32>(dz + o, g);
          store<f32>(acc + (<usize>c << 2), load<f32>(acc + (<usize>c << 2)) + g);
        }
      }
      // The run's total joins the block's, column by column, as sum_rows.ts adds them.
      let c = 0;
      for (; c + 4 <= cols; c += 4) {
        const t = total + (<usize>c << 2);
        v128.store(t, f32x4.add(v128.load(t), v128.load(acc + (<usize>c << 2))));
      }
      for (; c < cols; c++) {
        const t = total + (<usize>c << 2);
        store<f32>(t, load<f32>(t) + load<f32>(acc + (<usize>c << 2)));
      }
    }
  }
}
