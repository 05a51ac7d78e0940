// RMSprop (momentum 0, not centred) in one pass over a variable, as tfjs's RMSPropOptimizer computes it:
//   ms' = ms * rho + (g * g) * (1 - rho)
//   x'  = x - (g * lr) / sqrt(ms' + epsilon)
// Every step is a separately rounded f32 operation in tfjs's order, never a fused multiply-add, even in
// the relaxed-SIMD build: the update then equals tfjs's op-by-op one bit for bit, on any backend.
import { blockEnd, blockStart } from "./elementwise_range";

/** Writes the updated variable and mean square of elements in blocks [lo, hi) (elementwise_range.ts); x_out may be
 *  x and ms_out may be ms, since every element is read before it is written. */
export function f32_rmsprop__wasmsimd(
  x: usize, ms: usize, g: usize, x_out: usize, ms_out: usize, n: i32,
  rho: f32, one_minus_rho: f32, lr: f32, epsilon: f32,
  lo: i32, hi: i32, thread: i32,
): void {
  const end = blockEnd(hi, n);
  const vrho = f32x4.splat(rho);
  const vomr = f32x4.splat(one_minus_rho);
  const vlr = f32x4.splat(lr);
  const veps = f32x4.splat(epsilon);
  let i = blockStart(lo);
  for (; i + 4 <= end; i += 4) {
    const o = <usize>i << 2;
    const gv = v128.load(g + o);
    const m = f32x4.add(f32x4.mul(v128.load(ms + o), vrho), f32x4.mul(f32x4.mul(gv, gv), vomr));
    const step = f32x4.div(f32x4.mul(gv, vlr), f32x4.sqrt(f32x4.add(m, veps)));
    v128.store(ms_out + o, m);
    v128.store(x_out + o, f32x4.sub(v128.load(x + o), step));
  }
  for (; i < end; i++) {
    const o = <usize>i << 2;
    const gs = load<f32>(g + o);
    const m = load<f32>(ms + o) * rho + gs * gs * one_minus_rho;
    store<f32>(ms_out + o, m);
    store<f32>(x_out + o, load<f32>(x + o) - (gs * lr) / sqrt<f32>(m + epsilon));
  }
}
