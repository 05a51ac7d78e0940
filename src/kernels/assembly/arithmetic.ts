// Elementwise f32 arithmetic for the ops tfjs's optimizers (Adam, momentum), batch norm's moments and gradient
// and the losses dispatch: Add, Sub, Multiply, RealDiv, Square and Sqrt, over a same-shape operand, a scalar or a vector
// along the last axis. Each result is one IEEE f32 operation, correctly rounded, so it equals tfjs's CPU backend
// (which computes in f64 and rounds once: for + - * / and sqrt the two roundings give the same bits). Never an
// FMA, never a reciprocal. Ranges and loops as in elementwise.ts: blocks [lo, hi) of 16 floats, four vectors per
// iteration, a scalar tail. Outputs never alias inputs.
//
// One body serves every operator: `op` is a constant at each export, so once the @inline bodies are inlined
// the optimiser keeps only that operator's branch.
import { blockEnd, blockStart } from "./elementwise_range";

/** Operators; the R forms take the small operand (scalar or channel vector) first: s - a, s / a. */
const ADD: i32 = 0;
const SUB: i32 = 1;
const RSUB: i32 = 2;
const DIV: i32 = 3;
const RDIV: i32 = 4;
const MUL: i32 = 5;

// @ts-ignore: decorator
@inline function apply4(op: i32, a: v128, b: v128): v128 {
  if (op == ADD) return f32x4.add(a, b);
  if (op == SUB) return f32x4.sub(a, b);
  if (op == RSUB) return f32x4.sub(b, a);
  if (op == DIV) return f32x4.div(a, b);
  if (op == MUL) return f32x4.mul(a, b);
  return f32x4.div(b, a);
}

// @ts-ignore: decorator
@inline function apply1(op: i32, a: f32, b: f32): f32 {
  if (op == ADD) return a + b;
  if (op == SUB) return a - b;
  if (op == RSUB) return b - a;
  if (op == DIV) return a / b;
  if (op == MUL) return a * b;
  return b / a;
}

/** out[i] = a[i] op b[i]. */
// @ts-ignore: decorator
@inline function same(op: i32, a: usize, b: usize, out: usize, n: i32, lo: i32, hi: i32): void {
  const end = blockEnd(hi, n);
  let i = blockStart(lo);
  for (; i + 16 <= end; i += 16) {
    const o = <usize>i << 2;
    v128.store(out + o, apply4(op, v128.load(a + o), v128.load(b + o)));
    v128.store(out + o, apply4(op, v128.load(a + o, 16), v128.load(b + o, 16)), 16);
    v128.store(out + o, apply4(op, v128.load(a + o, 32), v128.load(b + o, 32)), 32);
    v128.store(out + o, apply4(op, v128.load(a + o, 48), v128.load(b + o, 48)), 48);
  }
  for (; i < end; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, apply1(op, load<f32>(a + o), load<f32>(b + o)));
  }
}

/** out[i] = a[i] op s (or s op a[i] for the R forms). */
// @ts-ignore: decorator
@inline function scalar(op: i32, a: usize, s: f32, out: usize, n: i32, lo: i32, hi: i32): void {
  const end = blockEnd(hi, n);
  const vs = f32x4.splat(s);
  let i = blockStart(lo);
  for (; i + 16 <= end; i += 16) {
    const o = <usize>i << 2;
    v128.store(out + o, apply4(op, v128.load(a + o), vs));
    v128.store(out + o, apply4(op, v128.load(a + o, 16), vs), 16);
    v128.store(out + o, apply4(op, v128.load(a + o, 32), vs), 32);
    v128.store(out + o, apply4(op, v128.load(a + o, 48), vs), 48);
  }
  for (; i < end; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, apply1(op, load<f32>(a + o), s));
  }
}

/**
 * out[i] = a[i] op b[i mod c] (or b[i mod c] op a[i]): a tensor and a vector along its last axis, as
 * batch norm's per-channel scale over an NHWC activation needs: a vector at a time when c is a multiple of 4,
 * else scalar.
 */
// @ts-ignore: decorator
@inline function channels(op: i32, a: usize, b: usize, out: usize, n: i32, c: i32, lo: i32, hi: i32): void {
  const end = blockEnd(hi, n);
  let i = blockStart(lo);
  let j = i % c;
  if ((c & 3) == 0) {
    for (; i + 4 <= end; i += 4) {
      const o = <usize>i << 2;
      v128.store(out + o, apply4(op, v128.load(a + o), v128.load(b + (<usize>j << 2))));
      j += 4;
      if (j == c) j = 0;
    }
  }
  for (; i < end; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, apply1(op, load<f32>(a + o), load<f32>(b + (<usize>j << 2))));
    if (++j == c) j = 0;
  }
}

/** out = a + b, elementwise. */
export function f32_add__wasmsimd(a: usize, b: usize, out: usize, n: i32, lo: i32, hi: i32, thread: i32): void {
  same(ADD, a, b, out, n, lo, hi);
}

/** out = a - b, elementwise. */
export function f32_sub__wasmsimd(a: usize, b: usize, out: usize, n: i32, lo: i32, hi: i32, thread: i32): void {
  same(SUB, a, b, out, n, lo, hi);
}

/** out = a / b, elementwise. */
export function f32_div__wasmsimd(a: usize, b: usize, out: usize, n: i32, lo: i32, hi: i32, thread: i32): void {
  same(DIV, a, b, out, n, lo, hi);
}

/** out = a * b, elementwise. */
export function f32_mul__wasmsimd(a: usize, b: usize, out: usize, n: i32, lo: i32, hi: i32, thread: i32): void {
  same(MUL, a, b, out, n, lo, hi);
}

/** out = a + s, for a scalar s. */
export function f32_add_scalar__wasmsimd(a: usize, s: f32, out: usize, n: i32, lo: i32, hi: i32, thread: i32): void {
  scalar(ADD, a, s, out, n, lo, hi);
}

/** out = a * s, for a scalar s. */
export function f32_mul_scalar__wasmsimd(a: usize, s: f32, out: usize, n: i32, lo: i32, hi: i32, thread: i32): void {
  scalar(MUL, a, s, out, n, lo, hi);
}

/** out = a - s, for a scalar s. */
export function f32_sub_scalar__wasmsimd(a: usize, s: f32, out: usize, n: i32, lo: i32, hi: i32, thread: i32): void {
  scalar(SUB, a, s, out, n, lo, hi);
}

/** out = s - a, for a scalar s (tfjs's sub(1, x), the optimizers' 1 - beta). */
export function f32_rsub_scalar__wasmsimd(a: usize, s: f32, out: usize, n: i32, lo: i32, hi: i32, thread: i32): void {
  scalar(RSUB, a, s, out, n, lo, hi);
}

/** out = a / s, for a scalar s: a true division, not a product with 1/s, which would round twice. */
export function f32_div_scalar__wasmsimd(a: usize, s: f32, out: usize, n: i32, lo: i32, hi: i32, thread: i32): void {
  scalar(DIV, a, s, out, n, lo, hi);
}

/** out = s / a, for a scalar s. */
export function f32_rdiv_scalar__wasmsimd(a: usize, s: f32, out: usize, n: i32, lo: i32, hi: i32, thread: i32): void {
  scalar(RDIV, a, s, out, n, lo, hi);
}

/** out = a * b[i mod c]: a tensor times a vector along its last axis (batch norm's per-channel scale). */
export function f32_mul_channels__wasmsimd(a: usize, b: usize, out: usize, n: i32, c: i32, lo: i32, hi: i32, thread: i32): void {
  channels(MUL, a, b, out, n, c, lo, hi);
}

/** out = a + b[i mod c]: a tensor plus a vector along its last axis (a bias, batch norm's offsets). */
export function f32_add_channels__wasmsimd(a: usize, b: usize, out: usize, n: i32, c: i32, lo: i32, hi: i32, thread: i32): void {
  channels(ADD, a, b, out, n, c, lo, hi);
}

/** out = a - b[i mod c]: an NHWC activation minus its per-channel mean (tfjs's moments and batch-norm gradient). */
export function f32_sub_channels__wasmsimd(a: usize, b: usize, out: usize, n: i32, c: i32, lo: i32, hi: i32, thread: i32): void {
  channels(SUB, a, b, out, n, c, lo, hi);
}

/** out = b[i mod c] - a: a vector along the last axis minus a tensor. */
export function f32_rsub_channels__wasmsimd(a: usize, b: usize, out: usize, n: i32, c: i32, lo: i32, hi: i32, thread: i32): void {
  channels(RSUB, a, b, out, n, c, lo, hi);
}

/** out = a / b[i mod c]: a tensor over a vector along its last axis. */
export function f32_div_channels__wasmsimd(a: usize, b: usize, out: usize, n: i32, c: i32, lo: i32, hi: i32, thread: i32): void {
  channels(DIV, a, b, out, n, c, lo, hi);
}

/** out = b[i mod c] / a: a vector along the last axis over a tensor. */
export function f32_rdiv_channels__wasmsimd(a: usize, b: usize, out: usize, n: i32, c: i32, lo: i32, hi: i32, thread: i32): void {
  channels(RDIV, a, b, out, n, c, lo, hi);
}

/** out = x * x (tfjs's Square: moments' variance, Adam's g²). */
export function f32_square__wasmsimd(x: usize, out: usize, n: i32, lo: i32, hi: i32, thread: i32): void {
  const end = blockEnd(hi, n);
  let i = blockStart(lo);
  for (; i + 16 <= end; i += 16) {
    const o = <usize>i << 2;
    const v0 = v128.load(x + o);
    const v1 = v128.load(x + o, 16);
    const v2 = v128.load(x + o, 32);
    const v3 = v128.load(x + o, 48);
    v128.store(out + o, f32x4.mul(v0, v0));
    v128.store(out + o, f32x4.mul(v1, v1), 16);
    v128.store(out + o, f32x4.mul(v2, v2), 32);
    v128.store(out + o, f32x4.mul(v3, v3), 48);
  }
  for (; i < end; i++) {
    const o = <usize>i << 2;
    const v = load<f32>(x + o);
    store<f32>(out + o, v * v);
  }
}

/** out = sqrt(x): NaN below zero, -0 for -0, as Math.sqrt. */
export function f32_sqrt__wasmsimd(x: usize, out: usize, n: i32, lo: i32, hi: i32, thread: i32): void {
  const end = blockEnd(hi, n);
  let i = blockStart(lo);
  for (; i + 16 <= end; i += 16) {
    const o = <usize>i << 2;
    v128.store(out + o, f32x4.sqrt(v128.load(x + o)));
    v128.store(out + o, f32x4.sqrt(v128.load(x + o, 16)), 16);
    v128.store(out + o, f32x4.sqrt(v128.load(x + o, 32)), 32);
    v128.store(out + o, f32x4.sqrt(v128.load(x + o, 48)), 48);
  }
  for (; i < end; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, sqrt<f32>(load<f32>(x + o)));
  }
}
