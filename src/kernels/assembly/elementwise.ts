// Elementwise f32 kernels for the ops a training step runs on whole activations: ReLU and its gradient,
// Step, and products. Each works on blocks [lo, hi) of its range (elementwise_range.ts), four vectors (one
// block) per iteration: on data already in cache a one-vector loop is bound by its own overhead (measured
// 2x slower than tfjs's XNNPACK kernels). The tail loop is the scalar form. Outputs never alias inputs.
import { blockEnd, blockStart } from "./elementwise_range";

// @ts-ignore: decorator
@inline function mul1(a: usize, b: usize, out: usize, o: usize): void {
  v128.store(out + o, f32x4.mul(v128.load(a + o), v128.load(b + o)));
}

/** out = a * b, elementwise. */
export function f32_mul__wasmsimd(a: usize, b: usize, out: usize, n: i32, lo: i32, hi: i32, thread: i32): void {
  const end = blockEnd(hi, n);
  let i = blockStart(lo);
  for (; i + 16 <= end; i += 16) {
    const o = <usize>i << 2;
    mul1(a, b, out, o);
    mul1(a, b, out, o + 16);
    mul1(a, b, out, o + 32);
    mul1(a, b, out, o + 48);
  }
  for (; i < end; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, load<f32>(a + o) * load<f32>(b + o));
  }
}

// @ts-ignore: decorator
@inline function mulScalar1(a: usize, s: v128, out: usize, o: usize): void {
  v128.store(out + o, f32x4.mul(v128.load(a + o), s));
}

/** out = a * s, elementwise, for a scalar s. */
export function f32_mul_scalar__wasmsimd(a: usize, s: f32, out: usize, n: i32, lo: i32, hi: i32, thread: i32): void {
  const end = blockEnd(hi, n);
  const vs = f32x4.splat(s);
  let i = blockStart(lo);
  for (; i + 16 <= end; i += 16) {
    const o = <usize>i << 2;
    mulScalar1(a, vs, out, o);
    mulScalar1(a, vs, out, o + 16);
    mulScalar1(a, vs, out, o + 32);
    mulScalar1(a, vs, out, o + 48);
  }
  for (; i < end; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, load<f32>(a + o) * s);
  }
}

/**
 * out = a * b[i mod c], elementwise: a tensor times a vector along its last axis (batch norm's per-channel scale
 * over an NHWC activation). With c a multiple of 4 every block starts on a whole vector of b; otherwise scalar.
 */
export function f32_mul_channels__wasmsimd(a: usize, b: usize, out: usize, n: i32, c: i32, lo: i32, hi: i32, thread: i32): void {
  const end = blockEnd(hi, n);
  let i = blockStart(lo);
  let j = i % c;
  if ((c & 3) == 0) {
    for (; i + 4 <= end; i += 4) {
      const o = <usize>i << 2;
      v128.store(out + o, f32x4.mul(v128.load(a + o), v128.load(b + (<usize>j << 2))));
      j += 4;
      if (j == c) j = 0;
    }
  }
  for (; i < end; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, load<f32>(a + o) * load<f32>(b + (<usize>j << 2)));
    if (++j == c) j = 0;
  }
}

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
