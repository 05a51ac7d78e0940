// Elementwise f32 kernels for the ops a training step runs on whole activations: ReLU and its gradient,
// and Step (products are in arithmetic.ts, with the other operators). Each works on blocks [lo, hi) of its
// range (elementwise_range.ts), four vectors (one block) per iteration: on data already in cache a
// one-vector loop is bound by its own overhead (measured 2x slower than tfjs's XNNPACK kernels). The tail
// loop is the scalar form. Outputs never alias inputs.
import { blockEnd, blockStart } from "./elementwise_range";

// @ts-ignore: decorator
@inline function relu1(x: usize, out: usize, o: usize): void {
  const v = v128.load(x + o);
  // Positive and NaN lanes pass unchanged; every other lane (negative, -0) becomes +0.
  v128.store(out + o, v128.and(v, v128.or(f32x4.gt(v, f32x4.splat(0)), f32x4.ne(v, v))));
}

/** out = max(0, x) as JavaScript's Math.max computes it (tfjs's CPU Relu): NaN stays NaN, -0 becomes +0. */
export function f32_relu__wasmsimd(x: usize, out: usize, n: i32, lo: i32, hi: i32, thread: i32): void {
  const end = blockEnd(hi, n);
  let i = blockStart(lo);
  for (; i + 16 <= end; i += 16) {
    const o = <usize>i << 2;
    relu1(x, out, o);
    relu1(x, out, o + 16);
    relu1(x, out, o + 32);
    relu1(x, out, o + 48);
  }
  for (; i < end; i++) {
    const o = <usize>i << 2;
    const v = load<f32>(x + o);
    store<f32>(out + o, v > 0 || v != v ? v : 0);
  }
}

/** step(v) with tfjs's NaN rule: 1 where v > 0, alpha elsewhere, NaN where v is NaN. */
// @ts-ignore: decorator
@inline function step4(v: v128, alpha: v128): v128 {
  return v128.bitselect(v, v128.bitselect(f32x4.splat(1), alpha, f32x4.gt(v, f32x4.splat(0))), f32x4.ne(v, v));
}

/** out = x > 0 ? 1 : alpha, with NaN kept as NaN (tfjs's Step, the mask of ReLU's gradient). */
export function f32_step__wasmsimd(x: usize, out: usize, n: i32, alpha: f32, lo: i32, hi: i32, thread: i32): void {
  const end = blockEnd(hi, n);
  const valpha = f32x4.splat(alpha);
  let i = blockStart(lo);
  for (; i + 16 <= end; i += 16) {
    const o = <usize>i << 2;
    v128.store(out + o, step4(v128.load(x + o), valpha));
    v128.store(out + o, step4(v128.load(x + o, 16), valpha), 16);
    v128.store(out + o, step4(v128.load(x + o, 32), valpha), 32);
    v128.store(out + o, step4(v128.load(x + o, 48), valpha), 48);
  }
  for (; i < end; i++) {
    const o = <usize>i << 2;
    const v = load<f32>(x + o);
    store<f32>(out + o, v != v ? v : v > 0 ? 1 : alpha);
  }
}

// @ts-ignore: decorator
@inline function reluGrad1(dy: usize, x: usize, out: usize, o: usize): void {
  v128.store(out + o, f32x4.mul(v128.load(dy + o), step4(v128.load(x + o), f32x4.splat(0))));
}

/** out = dy * step(x): ReLU's gradient in one pass, equal bit for bit to tfjs's mul(dy, step(x)) (NaN in x gives NaN). */
export function f32_relu_grad__wasmsimd(dy: usize, x: usize, out: usize, n: i32, lo: i32, hi: i32, thread: i32): void {
  const end = blockEnd(hi, n);
  let i = blockStart(lo);
  for (; i + 16 <= end; i += 16) {
    const o = <usize>i << 2;
    reluGrad1(dy, x, out, o);
    reluGrad1(dy, x, out, o + 16);
    reluGrad1(dy, x, out, o + 32);
    reluGrad1(dy, x, out, o + 48);
  }
  for (; i < end; i++) {
    const o = <usize>i << 2;
    const v = load<f32>(x + o);
    store<f32>(out + o, load<f32>(dy + o) * (v != v ? v : v > 0 ? <f32>1 : <f32>0));
  }
}
