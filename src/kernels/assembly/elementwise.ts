// Elementwise f32 kernels for the ops a training step runs on whole activations: ReLU, its gradient as
// tfjs dispatches it (Step, then Multiply), and products. Each works on blocks [lo, hi) of its range
// (elementwise-range.ts) and has its scalar form in the tail loop; outputs never alias inputs.
import { blockEnd, blockStart } from "./elementwise-range";

/** out = a * b, elementwise. */
export function f32_mul_simd(a: usize, b: usize, out: usize, n: i32, lo: i32, hi: i32, thread: i32): void {
  const end = blockEnd(hi, n);
  let i = blockStart(lo);
  for (; i + 4 <= end; i += 4) {
    const o = <usize>i << 2;
    v128.store(out + o, f32x4.mul(v128.load(a + o), v128.load(b + o)));
  }
  for (; i < end; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, load<f32>(a + o) * load<f32>(b + o));
  }
}

/** out = a * s, elementwise, for a scalar s. */
export function f32_mul_scalar_simd(a: usize, s: f32, out: usize, n: i32, lo: i32, hi: i32, thread: i32): void {
  const end = blockEnd(hi, n);
  const vs = f32x4.splat(s);
  let i = blockStart(lo);
  for (; i + 4 <= end; i += 4) {
    const o = <usize>i << 2;
    v128.store(out + o, f32x4.mul(v128.load(a + o), vs));
  }
  for (; i < end; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, load<f32>(a + o) * s);
  }
}

/** out = max(0, x) as JavaScript's Math.max computes it (tfjs's CPU Relu): NaN stays NaN, -0 becomes +0. */
export function f32_relu_simd(x: usize, out: usize, n: i32, lo: i32, hi: i32, thread: i32): void {
  const end = blockEnd(hi, n);
  const zero = f32x4.splat(0);
  let i = blockStart(lo);
  for (; i + 4 <= end; i += 4) {
    const o = <usize>i << 2;
    const v = v128.load(x + o);
    // Positive and NaN lanes pass unchanged; every other lane (negative, -0) becomes +0.
    v128.store(out + o, v128.and(v, v128.or(f32x4.gt(v, zero), f32x4.ne(v, v))));
  }
  for (; i < end; i++) {
    const o = <usize>i << 2;
    const v = load<f32>(x + o);
    store<f32>(out + o, v > 0 || v != v ? v : 0);
  }
}

/** out = x > 0 ? 1 : alpha, with NaN kept as NaN (tfjs's Step, the mask of ReLU's gradient). */
export function f32_step_simd(x: usize, out: usize, n: i32, alpha: f32, lo: i32, hi: i32, thread: i32): void {
  const end = blockEnd(hi, n);
  const zero = f32x4.splat(0);
  const one = f32x4.splat(1);
  const valpha = f32x4.splat(alpha);
  let i = blockStart(lo);
  for (; i + 4 <= end; i += 4) {
    const o = <usize>i << 2;
    const v = v128.load(x + o);
    const stepped = v128.bitselect(one, valpha, f32x4.gt(v, zero));
    // NaN lanes (v != v) take v itself.
    v128.store(out + o, v128.bitselect(v, stepped, f32x4.ne(v, v)));
  }
  for (; i < end; i++) {
    const o = <usize>i << 2;
    const v = load<f32>(x + o);
    store<f32>(out + o, v != v ? v : v > 0 ? 1 : alpha);
  }
}
