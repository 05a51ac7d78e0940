// Transcendental elementwise kernels (Tanh, Sigmoid, Elu) and Elu's gradient, equal bit for bit to tfjs's CPU
// backend. That backend evaluates each element in f64 with V8's Math.exp and Math.tanh, which are fdlibm's
// e_exp.c and s_tanh.c/s_expm1.c (a JavaScript port of those equalled Node 20's Math.exp, Math.expm1 and
// Math.tanh on every 997th f32 bit pattern), and rounds once to f32. Each vector of four floats first takes a
// fast path (below "The fast path"): a cheap f64 approximation with a proven error bound, kept when the bound
// shows its f32 rounding must be the CPU's. The rare vectors where it cannot (a result within the bound of an f32
// rounding midpoint: about one in 10^4 at N(0, 2) inputs, more for Elu near 0) take the exact path: fdlibm's own
// operations in its order on two f64x2 halves, its branches turned into selects over the ranges an f32 input can
// reach, so the f64 results, and hence the f32 ones, are the same. A plain f32 evaluation would be off by 1-3
// ulp. On one thread the fast path costs about 5 ns a float for tanh and 4 for sigmoid and elu, against 12, 5
// and 4.5 for the exact path alone (bench/kernels/elementwise_math.bench.ts, CPU time, shared machine).
// test/kernels/ops/elementwise_math.test.ts sweeps 2.3M f32 inputs for bit equality and holds inputs next to a
// midpoint; elementwise_math_exhaustive.test.ts runs every f32 input on demand. Layout as elementwise.ts: blocks
// [lo, hi) of elementwise_range.ts, a vector at a time, a last partial vector through lanes.
import { blockEnd, blockStart } from "./elementwise_range";
import { demote4, promoteHigh, promoteLow } from "./f64_lanes";

// fdlibm's constants (e_exp.c, s_expm1.c).
const LN2_HI: f64 = 6.93147180369123816490e-01; // low 21 bits zero, so k * LN2_HI is exact for |k| < 2^21
const LN2_LO: f64 = 1.90821492927058770002e-10;
const INV_LN2: f64 = 1.44269504088896338700e+00;
const P1: f64 = 1.66666666666666019037e-01;
const P2: f64 = -2.77777777770155933842e-03;
const P3: f64 = 6.61375632143793436117e-05;
const P4: f64 = -1.65339022054652515390e-06;
const P5: f64 = 4.13813679705723846039e-08;
const Q1: f64 = -3.33333333333331316428e-02;
const Q2: f64 = 1.58730158725481460165e-03;
const Q3: f64 = -7.93650757867487942473e-05;
const Q4: f64 = 4.00821782732936239552e-06;
const Q5: f64 = -2.01099218183624371326e-07;
/** 1.5 * 2^52: an integral f64 below 2^51 in magnitude added to it lands, two's complement, in the low bits. */
const MAGIC: f64 = 6755399441055744.0;
const SIGN: i64 = 0x8000000000000000;
/** Below 2^-28 fdlibm returns 1 + x from exp and x from tanh. */
const TINY: f64 = 3.725290298461914e-9;
/** Clamp of exp's argument: sigmoid and elu round to the same f32 (0, 1 or -1) anywhere beyond it. */
const EXP_CLAMP: f64 = 200;
/** Clamp of |x| for tanh: fdlibm's tanh rounds to f32 +-1 beyond about 9.01, and so from 10 to its own 22. */
const TANH_CLAMP: f64 = 10;

/**
 * a where a lane's mask is all ones, b where it is all zeros: the masks here are comparison results, for which
 * relaxed laneselect (one blendv) is exact; plain SIMD's bitselect takes three instructions.
 */
// @ts-ignore: decorator
@inline function select64(a: v128, b: v128, mask: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return i64x2.relaxed_laneselect(a, b, mask);
  return v128.bitselect(a, b, mask);
}

/** select64 for masks of f32 lanes. */
// @ts-ignore: decorator
@inline function select32(a: v128, b: v128, mask: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return i32x4.relaxed_laneselect(a, b, mask);
  return v128.bitselect(a, b, mask);
}

/** 2^k for f64x2 lanes holding integers k in [-1022, 1023]. */
// @ts-ignore: decorator
@inline function pow2(k: v128): v128 {
  return i64x2.shl(i64x2.add(f64x2.add(k, f64x2.splat(MAGIC)), i64x2.splat(<i64>1023 - 0x4338000000000000)), 52);
}

/** fdlibm's k = (int)(x / ln2 +- 0.5), rounding half away from zero, as an integral f64. */
// @ts-ignore: decorator
@inline function reduceK(x: v128): v128 {
  const half = v128.or(f64x2.splat(0.5), v128.and(x, i64x2.splat(SIGN)));
  return f64x2.trunc(f64x2.add(f64x2.mul(x, f64x2.splat(INV_LN2)), half));
}

/**
 * fdlibm's exp (e_exp.c) for x in [-745, 709]. Its three argument ranges (k = 0, |k| = 1, the rest) give the same
 * k, hi and lo through the general formula for any f32 input, and its k = 0 result equals the general one.
 */
// @ts-ignore: decorator
@inline function exp64(x: v128): v128 {
  const k = reduceK(x);
  const hi = f64x2.sub(x, f64x2.mul(k, f64x2.splat(LN2_HI)));
  const lo = f64x2.mul(k, f64x2.splat(LN2_LO));
  const r = f64x2.sub(hi, lo);
  const t = f64x2.mul(r, r);
  let p = f64x2.add(f64x2.splat(P4), f64x2.mul(t, f64x2.splat(P5)));
  p = f64x2.add(f64x2.splat(P3), f64x2.mul(t, p));
  p = f64x2.add(f64x2.splat(P2), f64x2.mul(t, p));
  p = f64x2.add(f64x2.splat(P1), f64x2.mul(t, p));
  const c = f64x2.sub(r, f64x2.mul(t, p));
  const q = f64x2.div(f64x2.mul(r, c), f64x2.sub(f64x2.splat(2), c));
  const y = f64x2.sub(f64x2.splat(1), f64x2.sub(f64x2.sub(lo, q), hi));
  const tiny = f64x2.lt(f64x2.abs(x), f64x2.splat(TINY));
  return select64(f64x2.add(f64x2.splat(1), x), f64x2.mul(y, pow2(k)), tiny);
}

/**
 * fdlibm's tanh (s_tanh.c) with its expm1 (s_expm1.c) inlined: expm1(-2|x|) for |x| < 1, where k is 0, -1, -2 or
 * -3, and expm1(2|x|) for |x| >= 1, where k is 3 to 29 after the clamp; each of expm1's result formulas for
 * those k is computed and the lane's own selected. NaN and |x| < 2^-28 (signed zeros too) give x.
 */
// @ts-ignore: decorator
@inline function tanh64(x: v128): v128 {
  const ax0 = f64x2.abs(x);
  const ax = f64x2.min(ax0, f64x2.splat(TANH_CLAMP));
  const big = f64x2.ge(ax, f64x2.splat(1));
  const twoAx = f64x2.add(ax, ax);
  const u = select64(twoAx, f64x2.neg(twoAx), big);
  // expm1(u): argument reduction.
  const k = reduceK(u);
  const hi = f64x2.sub(u, f64x2.mul(k, f64x2.splat(LN2_HI)));
  const lo = f64x2.mul(k, f64x2.splat(LN2_LO));
  const r = f64x2.sub(hi, lo);
  const c = f64x2.sub(f64x2.sub(hi, r), lo);
  const hfx = f64x2.mul(f64x2.splat(0.5), r);
  const hxs = f64x2.mul(r, hfx);
  let p = f64x2.add(f64x2.splat(Q4), f64x2.mul(hxs, f64x2.splat(Q5)));
  p = f64x2.add(f64x2.splat(Q3), f64x2.mul(hxs, p));
  p = f64x2.add(f64x2.splat(Q2), f64x2.mul(hxs, p));
  p = f64x2.add(f64x2.splat(Q1), f64x2.mul(hxs, p));
  const r1 = f64x2.add(f64x2.splat(1), f64x2.mul(hxs, p));
  const t = f64x2.sub(f64x2.splat(3), f64x2.mul(r1, hfx));
  const e = f64x2.mul(hxs, f64x2.div(f64x2.sub(r1, t), f64x2.sub(f64x2.splat(6), f64x2.mul(r, t))));
  // expm1's results by k.
  const r0 = f64x2.sub(r, f64x2.sub(f64x2.mul(r, e), hxs));
  const e2 = f64x2.sub(f64x2.sub(f64x2.mul(r, f64x2.sub(e, c)), c), hxs);
  const rm1 = f64x2.sub(f64x2.mul(f64x2.splat(0.5), f64x2.sub(r, e2)), f64x2.splat(0.5));
  const twoK = pow2(k);
  const twoMinusK = pow2(f64x2.neg(k));
  const d = f64x2.sub(e2, r);
  const rNeg = f64x2.sub(f64x2.mul(f64x2.sub(f64x2.splat(1), d), twoK), f64x2.splat(1));
  const rPosSmall = f64x2.mul(f64x2.sub(f64x2.sub(f64x2.splat(1), twoMinusK), d), twoK);
  const rPosLarge = f64x2.mul(f64x2.add(f64x2.sub(r, f64x2.add(e2, twoMinusK)), f64x2.splat(1)), twoK);
  let em1 = select64(rPosSmall, rPosLarge, f64x2.lt(k, f64x2.splat(20)));
  em1 = select64(rNeg, em1, f64x2.le(k, f64x2.splat(-2)));
  em1 = select64(rm1, em1, f64x2.eq(k, f64x2.splat(-1)));
  em1 = select64(r0, em1, f64x2.eq(k, f64x2.splat(0)));
  // tanh: -t/(t+2) below 1, 1 - 2/(t+2) from 1; then the sign of x.
  const q = f64x2.div(select64(f64x2.splat(2), f64x2.neg(em1), big), f64x2.add(em1, f64x2.splat(2)));
  const z = select64(f64x2.sub(f64x2.splat(1), q), q, big);
  const signed = v128.xor(z, v128.and(x, i64x2.splat(SIGN)));
  return select64(signed, x, f64x2.ge(ax0, f64x2.splat(TINY)));
}

/** The CPU backend's 1 / (1 + exp(-x)); NaN lanes are left to the caller. */
// @ts-ignore: decorator
@inline function sigmoid64(x: v128): v128 {
  const a = f64x2.pmax(f64x2.pmin(f64x2.neg(x), f64x2.splat(EXP_CLAMP)), f64x2.splat(-EXP_CLAMP));
  return f64x2.div(f64x2.splat(1), f64x2.add(f64x2.splat(1), exp64(a)));
}

/** The CPU backend's exp(x) - 1, for the negative lanes of Elu (the caller keeps the others). */
// @ts-ignore: decorator
@inline function expMinusOne64(x: v128): v128 {
  return f64x2.sub(exp64(f64x2.pmax(x, f64x2.splat(-EXP_CLAMP))), f64x2.splat(1));
}

// The fast path. Each kernel first evaluates a cheap f64 approximation y whose distance from fdlibm's f64 result
// F is provably below a bound (below), and rounds both ends of the interval [y - bound, y + bound] to f32. Rounding
// to nearest is monotone, so when the two ends round to the same f32, F (inside the interval) rounds to it too, and
// that f32 is the CPU backend's result. Otherwise, about one vector in 10^4 at N(0, 2) inputs (an end straddles an
// f32 rounding midpoint), the vector is recomputed by the exact fdlibm path above. The approximations:
// - k = nearest(u / ln 2), r = (u - k LN2_HI) - k LN2_LO, |r| <= 0.3466 + 2^-40. For an f32-derived u with k != 0
//   (|u| >= ln2/2, so u is a multiple of 2^-32), u - k LN2_HI is exact (both are multiples of 2^-32, the difference
//   is below 1/2), so r is within 2^-53 |r| + 2^-75 of u - k ln 2 (|k| <= 289, LN2_HI + LN2_LO is ln 2 to 2^-85).
// - exp(r) - 1 by its Taylor series to r^11 (expm1Taylor): the remainder is at most |r|^12 e^|r| / 12!, which is
//   below 2^-44.6 |expm1(r)| for |r| <= 0.347 (|expm1(r)| >= |r| e^-|r|); the f64 evaluation adds under 4 ulp (the
//   leading term r is exact, the rest is below 0.6 |r|).
// - tanh(a), a = min(|x|, 10), u = 2a: e = expm1(u) = (2^k - 1) + 2^k p, where 2^k - 1 is exact (0 <= k <= 29), and
//   e's relative error is at most 1.5 that of p plus 2 ulp; tanh = e / (e + 2) adds at most 2 ulp. So
//   |y - tanh(a)| < 2^-43 |y|. fdlibm's tanh is within 4 ulp (2^-50) of tanh: expm1 within 1 ulp, then two roundings
//   (1 - 2/(t+2): three). The bound TANH_BOUND = 2^-40 covers both with room for the rounding of y (1 +- bound).
//   Beyond |x| = 10 (clamped to 10), F is in [tanh(10), 1], which rounds to f32 1 as y does.
// - sigmoid = 1 / (1 + E), E = 2^k (1 + p) for u = -x clamped to [-200, 200]: E within 2^-44 of exp(u), and 1 + E
//   and the division add at most 2 ulp, so |y - sigmoid| < 2^-43 |y|; the CPU's F is within 3 ulp of sigmoid (exp
//   within 1 ulp, two roundings). SIGMOID_BOUND = 2^-40 (relative).
// - elu = E - 1, E = 2^k (1 + p) for x clamped to [-200, 0]: E within 2^-44 E of exp(x), and fdlibm's exp within
//   2^-52 E, so |E - Ef| < 2^-43 (E <= 1), an absolute bound: the CPU's F = fl(Ef - 1) and our y = fl(E - 1) differ
//   by less than 2^-43 + 2^-53, and ELU_BOUND = 2^-42 covers that plus the rounding of y +- bound. Near x = 0 the
//   f32 spacing of y is fine and the interval often straddles a midpoint: |x| < 2^-18 nearly always falls back.
// test/kernels/ops/elementwise_math.test.ts holds inputs whose F lies within a few f64 ulp of an f32 midpoint,
// which only the fallback gets right.

/** 1/n! for n = 2..11: the Taylor coefficients of exp(r) - 1. */
const C2: f64 = 1.0 / 2;
const C3: f64 = 1.0 / 6;
const C4: f64 = 1.0 / 24;
const C5: f64 = 1.0 / 120;
const C6: f64 = 1.0 / 720;
const C7: f64 = 1.0 / 5040;
const C8: f64 = 1.0 / 40320;
const C9: f64 = 1.0 / 362880;
const C10: f64 = 1.0 / 3628800;
const C11: f64 = 1.0 / 39916800;
/** Relative half-widths of tanh's and sigmoid's interval, and Elu's absolute one (see above). */
const TANH_BOUND: f64 = 9.094947017729282e-13; // 2^-40
const SIGMOID_BOUND: f64 = 9.094947017729282e-13; // 2^-40
const ELU_BOUND: f64 = 2.2737367544323206e-13; // 2^-42

/** a * b + c on f64 lanes, fused in the relaxed build; the error bounds above hold either way. */
// @ts-ignore: decorator
@inline function madd64(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f64x2.relaxed_madd(a, b, c);
  return f64x2.add(c, f64x2.mul(a, b));
}

/** exp(r) - 1 for |r| <= 0.35 by its Taylor series to r^11, evaluated by Estrin's scheme for a short dependency chain. */
// @ts-ignore: decorator
@inline function expm1Taylor(r: v128): v128 {
  const r2 = f64x2.mul(r, r);
  const r4 = f64x2.mul(r2, r2);
  const a23 = madd64(r, f64x2.splat(C3), f64x2.splat(C2));
  const a45 = madd64(r, f64x2.splat(C5), f64x2.splat(C4));
  const a67 = madd64(r, f64x2.splat(C7), f64x2.splat(C6));
  const a89 = madd64(r, f64x2.splat(C9), f64x2.splat(C8));
  const a1011 = madd64(r, f64x2.splat(C11), f64x2.splat(C10));
  const b25 = madd64(r2, a45, a23);
  const b611 = madd64(r4, a1011, madd64(r2, a89, a67));
  return madd64(r2, madd64(r4, b611, b25), r);
}

/** k = nearest(u / ln 2) as an integral f64 (any rounding of u / ln 2 keeps |u - k ln 2| <= 0.3466 + 2^-40). */
// @ts-ignore: decorator
@inline function nearestK(u: v128): v128 {
  return f64x2.nearest(f64x2.mul(u, f64x2.splat(INV_LN2)));
}

/** r = u - k ln 2 in two steps (see above). */
// @ts-ignore: decorator
@inline function reduced(u: v128, k: v128): v128 {
  return f64x2.sub(f64x2.sub(u, f64x2.mul(k, f64x2.splat(LN2_HI))), f64x2.mul(k, f64x2.splat(LN2_LO)));
}

/** exp(u) to 2^-44 relative, for |u| <= 200. */
// @ts-ignore: decorator
@inline function expFast64(u: v128): v128 {
  const k = nearestK(u);
  const s = pow2(k);
  return madd64(s, expm1Taylor(reduced(u, k)), s);
}

/** tanh(x) to 2^-43 relative (see above); NaN gives NaN, signed zeros themselves. */
// @ts-ignore: decorator
@inline function tanhFast64(x: v128): v128 {
  // pmin keeps NaN (it returns its first operand unless the second is less).
  const a = f64x2.pmin(f64x2.abs(x), f64x2.splat(TANH_CLAMP));
  const u = f64x2.add(a, a);
  const k = nearestK(u);
  const s = pow2(k);
  const e = madd64(s, expm1Taylor(reduced(u, k)), f64x2.sub(s, f64x2.splat(1)));
  const t = f64x2.div(e, f64x2.add(e, f64x2.splat(2)));
  return v128.xor(t, v128.and(x, i64x2.splat(SIGN)));
}

/** 1 / (1 + exp(-x)) to 2^-43 relative; NaN lanes are left to the caller. */
// @ts-ignore: decorator
@inline function sigmoidFast64(x: v128): v128 {
  const u = f64x2.pmax(f64x2.pmin(f64x2.neg(x), f64x2.splat(EXP_CLAMP)), f64x2.splat(-EXP_CLAMP));
  return f64x2.div(f64x2.splat(1), f64x2.add(f64x2.splat(1), expFast64(u)));
}

/** exp(x) - 1 for x clamped to [-200, 0], to 2^-43 absolute of the CPU's; the caller keeps lanes x >= 0. */
// @ts-ignore: decorator
@inline function eluFast64(x: v128): v128 {
  const u = f64x2.pmin(f64x2.pmax(x, f64x2.splat(-EXP_CLAMP)), f64x2.splat(0));
  return f64x2.sub(expFast64(u), f64x2.splat(1));
}

/** Unary kernel ids: one loop serves the three, the id a constant after inlining. */
const TANH = 0;
const SIGMOID = 1;
const ELU = 2;

// @ts-ignore: decorator
@inline function unary4(v: v128, op: i32): v128 {
  const lo = promoteLow(v);
  const hi = promoteHigh(v);
  if (op == TANH) return demote4(tanh64(lo), tanh64(hi));
  if (op == SIGMOID) {
    // NaN lanes are x itself, as Math.exp(NaN) gives NaN.
    return select32(v, demote4(sigmoid64(lo), sigmoid64(hi)), f32x4.ne(v, v));
  }
  // Elu: x itself where x >= 0 (so -0 stays -0).
  return select32(v, demote4(expMinusOne64(lo), expMinusOne64(hi)), f32x4.ge(v, f32x4.splat(0)));
}

/** Lanes [0, count) of a vector from memory, the rest zero: the last partial vector of a tensor. */
// @ts-ignore: decorator
@inline function loadPartial(p: usize, count: i32): v128 {
  let v = f32x4.splat(0);
  v = f32x4.replace_lane(v, 0, load<f32>(p));
  if (count > 1) v = f32x4.replace_lane(v, 1, load<f32>(p, 4));
  if (count > 2) v = f32x4.replace_lane(v, 2, load<f32>(p, 8));
  return v;
}

// @ts-ignore: decorator
@inline function storePartial(p: usize, v: v128, count: i32): void {
  store<f32>(p, f32x4.extract_lane(v, 0));
  if (count > 1) store<f32>(p, f32x4.extract_lane(v, 1), 4);
  if (count > 2) store<f32>(p, f32x4.extract_lane(v, 2), 8);
}

/**
 * The fast path's f32 result for four floats, or the exact path's where an interval end rounds differently (see
 * above): lo and hi are the four approximations, `relative` says whether bound scales with them.
 */
// @ts-ignore: decorator
@inline function checked(v: v128, lo: v128, hi: v128, bound: f64, relative: bool, op: i32): v128 {
  let below: v128;
  let above: v128;
  if (relative) {
    const down = f64x2.splat(1 - bound);
    const up = f64x2.splat(1 + bound);
    below = demote4(f64x2.mul(lo, down), f64x2.mul(hi, down));
    above = demote4(f64x2.mul(lo, up), f64x2.mul(hi, up));
  } else {
    const b = f64x2.splat(bound);
    below = demote4(f64x2.sub(lo, b), f64x2.sub(hi, b));
    above = demote4(f64x2.add(lo, b), f64x2.add(hi, b));
  }
  if (op == SIGMOID) {
    const nan = f32x4.ne(v, v);
    below = select32(v, below, nan);
    above = select32(v, above, nan);
  } else if (op == ELU) {
    const keep = f32x4.ge(v, f32x4.splat(0));
    below = select32(v, below, keep);
    above = select32(v, above, keep);
  }
  if (i32x4.all_true(i32x4.eq(below, above))) return below;
  return unary4(v, op);
}

/** unary4 through the fast path (see above): the same f32 results. */
// @ts-ignore: decorator
@inline function unaryFast4(v: v128, op: i32): v128 {
  const lo = promoteLow(v);
  const hi = promoteHigh(v);
  if (op == TANH) return checked(v, tanhFast64(lo), tanhFast64(hi), TANH_BOUND, true, op);
  if (op == SIGMOID) return checked(v, sigmoidFast64(lo), sigmoidFast64(hi), SIGMOID_BOUND, true, op);
  return checked(v, eluFast64(lo), eluFast64(hi), ELU_BOUND, false, op);
}

// @ts-ignore: decorator
@inline function unaryBlocks(x: usize, out: usize, n: i32, lo: i32, hi: i32, op: i32): void {
  const end = blockEnd(hi, n);
  let i = blockStart(lo);
  for (; i + 4 <= end; i += 4) {
    const o = <usize>i << 2;
    v128.store(out + o, unaryFast4(v128.load(x + o), op));
  }
  if (i < end) {
    const o = <usize>i << 2;
    storePartial(out + o, unaryFast4(loadPartial(x + o, end - i), op), end - i);
  }
}

/** out = tanh(x), as tfjs's CPU backend gives it: Math.tanh in f64, rounded once. */
export function f32_tanh__wasmsimd(x: usize, out: usize, n: i32, lo: i32, hi: i32, thread: i32): void {
  unaryBlocks(x, out, n, lo, hi, TANH);
}

/** out = 1 / (1 + exp(-x)), as tfjs's CPU backend gives it: in f64, rounded once. */
export function f32_sigmoid__wasmsimd(x: usize, out: usize, n: i32, lo: i32, hi: i32, thread: i32): void {
  unaryBlocks(x, out, n, lo, hi, SIGMOID);
}

/** out = x >= 0 ? x : exp(x) - 1, as tfjs's CPU backend gives it: in f64, rounded once. */
export function f32_elu__wasmsimd(x: usize, out: usize, n: i32, lo: i32, hi: i32, thread: i32): void {
  unaryBlocks(x, out, n, lo, hi, ELU);
}

/** Elu's gradient from its output y: dy where y >= 0, else dy * (y + 1) in f64 rounded once, as the CPU backend. */
// @ts-ignore: decorator
@inline function eluGrad4(dy: v128, y: v128): v128 {
  const one = f64x2.splat(1);
  const lo = f64x2.mul(promoteLow(dy), f64x2.add(promoteLow(y), one));
  const hi = f64x2.mul(promoteHigh(dy), f64x2.add(promoteHigh(y), one));
  return select32(dy, demote4(lo, hi), f32x4.ge(y, f32x4.splat(0)));
}

/** out = y >= 0 ? dy : dy * (y + 1): Elu's gradient (tfjs's EluGrad) from the forward output y. */
export function f32_elu_grad__wasmsimd(dy: usize, y: usize, out: usize, n: i32, lo: i32, hi: i32, thread: i32): void {
  const end = blockEnd(hi, n);
  let i = blockStart(lo);
  for (; i + 4 <= end; i += 4) {
    const o = <usize>i << 2;
    v128.store(out + o, eluGrad4(v128.load(dy + o), v128.load(y + o)));
  }
  if (i < end) {
    const o = <usize>i << 2;
    storePartial(out + o, eluGrad4(loadPartial(dy + o, end - i), loadPartial(y + o, end - i)), end - i);
  }
}
