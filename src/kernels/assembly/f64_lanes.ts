// Float32 vectors widened to float64 pairs and rounded back once: the kernels that must equal tfjs's CPU
// backend bit for bit (average pooling, batch norm, tanh, sigmoid, elu) compute in f64 as its JS numbers do,
// four floats per step as two f64x2 halves.

/** Lanes 0-1 of an f32x4 as an f64x2. */
// @ts-ignore: decorator
@inline export function promoteLow(v: v128): v128 {
  return f64x2.promote_low_f32x4(v);
}

/** Lanes 2-3 of an f32x4 as an f64x2. */
// @ts-ignore: decorator
@inline export function promoteHigh(v: v128): v128 {
  return f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 0, 1));
}

/** Two f64x2 halves rounded to one f32x4: lanes 0-1 from lo, 2-3 from hi. */
// @ts-ignore: decorator
@inline export function demote4(lo: v128, hi: v128): v128 {
  return i64x2.shuffle(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 2);
}

/**
 * The channel after the 4-channel vector at ch, for c >= 4 channels: the last vector starts at c - 4,
 * overlapping the one before it where c is not a multiple of 4 (it stores the same values there again);
 * c once every channel is done.
 */
// @ts-ignore: decorator
@inline export function nextVector(ch: i32, c: i32): i32 {
  return ch + 4 >= c ? c : min(ch + 4, c - 4);
}
