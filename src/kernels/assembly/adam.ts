// Adam in one pass over a variable, as tfjs's AdamOptimizer computes it:
//   m' = m * beta1 + g * (1 - beta1)
//   v' = v * beta2 + (g * g) * (1 - beta2)
//   x' = ((m' / a1) / (sqrt(v' / a2) + epsilon)) * (-lr) + x      a1 = 1 - beta1^t, a2 = 1 - beta2^t
// Every step is a separately rounded f32 operation in tfjs's order, never a fused multiply-add, even in
// the relaxed-SIMD build: the update then equals tfjs's op-by-op one bit for bit, on any backend.
import { blockEnd, blockStart } from "./elementwise_range";

/** Writes the updated variable and moments of elements in blocks [lo, hi) (elementwise_range.ts); x_out, m_out
 *  and v_out may be x, m and v, since every element is read before it is written. */
export function f32_adam__wasmsimd(
  x: usize, m: usize, v: usize, g: usize, x_out: usize, m_out: usize, v_out: usize, n: i32,
  beta1: f32, one_minus_beta1: f32, beta2: f32, one_minus_beta2: f32,
  one_minus_acc_beta1: f32, one_minus_acc_beta2: f32, epsilon: f32, neg_lr: f32,
  lo: i32, hi: i32, thread: i32,
): void {
  const end = blockEnd(hi, n);
  const vb1 = f32x4.splat(beta1);
  const vo1 = f32x4.splat(one_minus_beta1);
  const vb2 = f32x4.splat(beta2);
  const vo2 = f32x4.splat(one_minus_beta2);
  const va1 = f32x4.splat(one_minus_acc_beta1);
  const va2 = f32x4.splat(one_minus_acc_beta2);
  const veps = f32x4.splat(epsilon);
  const vnlr = f32x4.splat(neg_lr);
  let i = blockStart(lo);
  for (; i + 4 <= end; i += 4) {
    const o = <usize>i << 2;
    const gv = v128.load(g + o);
    const mv = f32x4.add(f32x4.mul(v128.load(m + o), vb1), f32x4.mul(gv, vo1));
    const vv = f32x4.add(f32x4.mul(v128.load(v + o), vb2), f32x4.mul(f32x4.mul(gv, gv), vo2));
    const step = f32x4.div(f32x4.div(mv, va1), f32x4.add(f32x4.sqrt(f32x4.div(vv, va2)), veps));
    v128.store(m_out + o, mv);
    v128.store(v_out + o, vv);
    v128.store(x_out + o, f32x4.add(f32x4.mul(step, vnlr), v128.load(x + o)));
  }
  for (; i < end; i++) {
    const o = <usize>i << 2;
    const gs = load<f32>(g + o);
    const ms = load<f32>(m + o) * beta1 + gs * one_minus_beta1;
    const vs = load<f32>(v + o) * beta2 + gs * gs * one_minus_beta2;
    store<f32>(m_out + o, ms);
    store<f32>(v_out + o, vs);
    store<f32>(x_out + o, ((ms / one_minus_acc_beta1) / (sqrt<f32>(vs / one_minus_acc_beta2) + epsilon)) * neg_lr + load<f32>(x + o));
  }
}
