// Stateless (counter-based) dropout. Element i of call (seed, counter) is kept when a 32-bit hash of i
// under two call keys falls below a threshold, so a mask needs no stored state, no sequential generator,
// and is the same whichever thread computes which element. The keys, threshold and scale come from
// src/kernels/ops/dropout_mask.ts, which also holds the scalar form of the hash below.
//   h = (i * 0x9e3779b9) ^ k0, then xor-shift-multiply rounds (16, 0x21f0aaad, 15, 0x735a2d97, 15),
//   h += k1, then rounds (16, 0x7feb352d, 15, 0x846ca68b, 16); keep when h < threshold (unsigned).
// Kept elements are multiplied by scale and dropped ones by zero (not replaced by 0), as tfjs's mul(x, mask).
import { blockEnd, blockStart } from "./elementwise_range";

// @ts-ignore: decorator
@inline function round(h: v128, shift: i32, mul: u32): v128 {
  return i32x4.mul(v128.xor(h, i32x4.shr_u(h, shift)), i32x4.splat(<i32>mul));
}

// @ts-ignore: decorator
@inline function roundScalar(h: u32, shift: u32, mul: u32): u32 {
  return (h ^ (h >>> shift)) * mul;
}

/** The 32-bit keep-or-drop hashes of four indices. */
// @ts-ignore: decorator
@inline function hash4(i: v128, k0: v128, k1: v128): v128 {
  let h = v128.xor(i32x4.mul(i, i32x4.splat(<i32>0x9e3779b9)), k0);
  h = round(round(h, 16, 0x21f0aaad), 15, 0x735a2d97);
  h = i32x4.add(v128.xor(h, i32x4.shr_u(h, 15)), k1);
  h = round(round(h, 16, 0x7feb352d), 15, 0x846ca68b);
  return v128.xor(h, i32x4.shr_u(h, 16));
}

/** y[0..4) = x[0..4) * (hash < threshold ? scale : 0) at byte offset o, for the four hashes h. */
// @ts-ignore: decorator
@inline function apply4(x: usize, y: usize, o: usize, h: v128, threshold: v128, scale: v128): void {
  v128.store(y + o, f32x4.mul(v128.load(x + o), v128.and(i32x4.lt_u(h, threshold), scale)));
}

// @ts-ignore: decorator
@inline function hash1(i: u32, k0: u32, k1: u32): u32 {
  let h = (i * 0x9e3779b9) ^ k0;
  h = roundScalar(roundScalar(h, 16, 0x21f0aaad), 15, 0x735a2d97);
  h = (h ^ (h >>> 15)) + k1;
  h = roundScalar(roundScalar(h, 16, 0x7feb352d), 15, 0x846ca68b);
  return h ^ (h >>> 16);
}

/** y = x * (hash(i) < threshold ? scale : 0) for elements in blocks [lo, hi) (elementwise_range.ts). */
export function f32_dropout_hash__wasmsimd(
  x: usize, y: usize, n: i32,
  k0: u32, k1: u32, threshold: u32, scale: f32,
  lo: i32, hi: i32, thread: i32,
): void {
  const end = blockEnd(hi, n);
  const vk0 = i32x4.splat(k0);
  const vk1 = i32x4.splat(k1);
  const vthreshold = i32x4.splat(threshold);
  const vscale = f32x4.splat(scale);
  let i = blockStart(lo);
  // Four independent hash chains per iteration: one chain alone is latency-bound (measured 2x slower).
  for (; i + 16 <= end; i += 16) {
    const o = <usize>i << 2;
    const base = i32x4.splat(i);
    const h0 = hash4(i32x4.add(base, i32x4(0, 1, 2, 3)), vk0, vk1);
    const h1 = hash4(i32x4.add(base, i32x4(4, 5, 6, 7)), vk0, vk1);
    const h2 = hash4(i32x4.add(base, i32x4(8, 9, 10, 11)), vk0, vk1);
    const h3 = hash4(i32x4.add(base, i32x4(12, 13, 14, 15)), vk0, vk1);
    apply4(x, y, o, h0, vthreshold, vscale);
    apply4(x, y, o + 16, h1, vthreshold, vscale);
    apply4(x, y, o + 32, h2, vthreshold, vscale);
    apply4(x, y, o + 48, h3, vthreshold, vscale);
  }
  for (; i < end; i++) {
    const o = <usize>i << 2;
    store<f32>(y + o, load<f32>(x + o) * (hash1(<u32>i, k0, k1) < threshold ? scale : 0));
  }
}
