// Direct kernel for an implicit-GEMM convolution with a single output channel (N = 1): each output
// is the dot product of a patch with one filter column. The CNN meets it in the input gradient of
// its first layer (dx has one channel; K = 9 taps x 16 channels), where an 8-wide GEMM panel would
// waste 7/8 of its work.
import { madd } from "./isa";
import { CONV_GEOMETRY_BYTES, gatherHere, interiorHere, nextPixel, seekPixel, setGeometry } from "./conv_geometry";

/** Bytes of private scratch per thread for f32_conv2d_n1_direct__wasmsimd with K = fh*fw*c. */
export function f32_conv2d_n1_scratch_size(k: i32): i32 {
  return <i32>CONV_GEOMETRY_BYTES + k * 8 + 64;
}

/** Pool entry: output pixels [lo, hi) of out[m] = patch(m) · column, with the geometry of
 *  f32_conv2d_igemm__wasmsimd. The column is taken from the HWIO filter w (taps = fh*fw): w[tap][ci][0] when
 *  flip = 0 (forward, one output channel), w[taps-1-tap][0][co] when flip = 1 (input gradient of a
 *  convolution with one input channel). flags: 1 adds bias[0], 2 clamps at 0 after it. */
export function f32_conv2d_n1_direct__wasmsimd(
  src: usize, srcH: i32, srcW: i32, c: i32, dstH: i32, dstW: i32, fh: i32, fw: i32,
  strideH: i32, strideW: i32, padT: i32, padL: i32, upH: i32, upW: i32,
  w: usize, flip: i32, out: usize, bias: usize, flags: u32,
  scratch: usize, scratchStride: usize,
  lo: i32, hi: i32, thread: i32,
): void {
  const own = ((scratch + <usize>thread * scratchStride) + 63) & ~<usize>63;
  const g = setGeometry(own, src, srcH, srcW, c, dstH, dstW, fh, fw, strideH, strideW, padT, padL, upH, upW);
  const taps = fh * fw;
  const k = taps * c;
  const col = own + CONV_GEOMETRY_BYTES;
  const row = col + (<usize>k << 2);
  // Both layouts are tap-major with c contiguous floats per tap; flipping reverses the taps.
  for (let t = 0; t < taps; t++) {
    const from = w + (<usize>((flip ? taps - 1 - t : t) * c) << 2);
    for (let i = 0; i < c; i++) store<f32>(col + (<usize>(t * c + i) << 2), load<f32>(from + (<usize>i << 2)));
  }
  const seg = fw * c;
  const segBytes = <usize>seg << 2;
  const line = <usize>(srcW * c) << 2;
  const init: f32 = flags & 1 ? load<f32>(bias) : 0;
  if (lo < hi) seekPixel(g, lo);
  const step = <usize>(strideW * c) << 2;
  const lastX = (g.srcW - fw + padL) / strideW;
  // A segment whose length is not a multiple of 4 (5x5 taps x 6 channels: 30) ends with the vector
  // of its last 4 floats, whose first lanes the vectors before it already counted: they are masked
  // off, in the patch and in the column, so that an Inf or NaN there is not counted twice.
  const r = seg & 3;
  const tailMask = i32x4.gt_s(i32x4(0, 1, 2, 3), i32x4.splat(3 - r));
  for (let m = lo; m < hi; m++) {
    const first = interiorHere(g);
    // Four interior pixels of one row at once: each column vector loaded serves all four.
    if (first != 0 && seg >= 4 && m + 4 <= hi && g.ox + 3 < dstW && g.ox + 3 <= lastX) {
      let sums = f32x4.add(dotQuad(fh, seg, first, step, line, col, tailMask), f32x4.splat(init));
      if (flags & 2) sums = f32x4.pmax(sums, f32x4.splat(0));
      v128.store(out + (<usize>m << 2), sums);
      nextPixel(g); nextPixel(g); nextPixel(g); nextPixel(g);
      m += 3;
      continue;
    }
    let sum = init;
    if (first != 0) {
      let acc = f32x4.splat(0);
      for (let fy = 0; fy < fh; fy++) acc = dot4(seg, first + <usize>fy * line, col + <usize>fy * segBytes, acc);
      sum += hsum(acc);
      if (seg & 3) for (let fy = 0; fy < fh; fy++) sum += dotTail(seg, first + <usize>fy * line, col + <usize>fy * segBytes);
    } else {
      gatherHere(g, row);
      sum += hsum(dot4(k, row, col, f32x4.splat(0))) + dotTail(k, row, col);
    }
    store<f32>(out + (<usize>m << 2), flags & 2 && sum < 0 ? 0 : sum);
    nextPixel(g);
  }
}

// The dot products of the column with four patches `step` bytes apart (fh segments of seg >= 4
// floats, `line` bytes apart), as the four lanes of one vector. When seg is not a multiple of 4 its
// last vector is the one ending at seg, with the lanes already counted cleared by `tail`.
function dotQuad(fh: i32, seg: i32, first: usize, step: usize, line: usize, col: usize, tail: v128): v128 {
  let a0 = f32x4.splat(0), a1 = a0, a2 = a0, a3 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0;
  for (let fy = 0; fy < fh; fy++) {
    const p = first + <usize>fy * line;
    let i = 0;
    for (; i + 8 <= seg; i += 8) {
      const o = <usize>i << 2;
      const w0 = v128.load(col + o), w1 = v128.load(col + o, 16);
      a0 = madd(v128.load(p + o), w0, a0); b0 = madd(v128.load(p + o, 16), w1, b0);
      a1 = madd(v128.load(p + step + o), w0, a1); b1 = madd(v128.load(p + step + o, 16), w1, b1);
      a2 = madd(v128.load(p + step * 2 + o), w0, a2); b2 = madd(v128.load(p + step * 2 + o, 16), w1, b2);
      a3 = madd(v128.load(p + step * 3 + o), w0, a3); b3 = madd(v128.load(p + step * 3 + o, 16), w1, b3);
    }
    if (i + 4 <= seg) {
      const o = <usize>i << 2;
      const w0 = v128.load(col + o);
      a0 = madd(v128.load(p + o), w0, a0); a1 = madd(v128.load(p + step + o), w0, a1);
      a2 = madd(v128.load(p + step * 2 + o), w0, a2); a3 = madd(v128.load(p + step * 3 + o), w0, a3);
      i += 4;
    }
    if (i < seg) {
      const o = <usize>(seg - 4) << 2;
      const w0 = v128.and(v128.load(col + o), tail);
      b0 = madd(v128.and(v128.load(p + o), tail), w0, b0); b1 = madd(v128.and(v128.load(p + step + o), tail), w0, b1);
      b2 = madd(v128.and(v128.load(p + step * 2 + o), tail), w0, b2); b3 = madd(v128.and(v128.load(p + step * 3 + o), tail), w0, b3);
    }
    col += <usize>seg << 2;
  }
  a0 = f32x4.add(a0, b0); a1 = f32x4.add(a1, b1); a2 = f32x4.add(a2, b2); a3 = f32x4.add(a3, b3);
  // Transpose-add: lane p of the result is the sum of the lanes of a_p.
  const s01 = f32x4.add(i32x4.shuffle(a0, a1, 0, 4, 1, 5), i32x4.shuffle(a0, a1, 2, 6, 3, 7));
  const s23 = f32x4.add(i32x4.shuffle(a2, a3, 0, 4, 1, 5), i32x4.shuffle(a2, a3, 2, 6, 3, 7));
  return f32x4.add(i32x4.shuffle(s01, s23, 0, 1, 4, 5), i32x4.shuffle(s01, s23, 2, 3, 6, 7));
}

// acc plus the lane-wise products of the first n & ~3 floats at a and b.
function dot4(n: i32, a: usize, b: usize, acc: v128): v128 {
  let s1 = f32x4.splat(0), s2 = s1, s3 = s1;
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    const o = <usize>i << 2;
    acc = madd(v128.load(a + o), v128.load(b + o), acc);
    s1 = madd(v128.load(a + o, 16), v128.load(b + o, 16), s1);
    s2 = madd(v128.load(a + o, 32), v128.load(b + o, 32), s2);
    s3 = madd(v128.load(a + o, 48), v128.load(b + o, 48), s3);
  }
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    acc = madd(v128.load(a + o), v128.load(b + o), acc);
  }
  return f32x4.add(f32x4.add(acc, s1), f32x4.add(s2, s3));
}

// The products of the last n & 3 floats at a and b, summed.
function dotTail(n: i32, a: usize, b: usize): f32 {
  let sum: f32 = 0;
  for (let i = n & ~3; i < n; i++) sum += load<f32>(a + (<usize>i << 2)) * load<f32>(b + (<usize>i << 2));
  return sum;
}

// @ts-ignore: decorator
@inline function hsum(v: v128): f32 {
  const s = f32x4.add(v, i32x4.shuffle(v, v, 2, 3, 0, 1));
  return f32x4.extract_lane(s, 0) + f32x4.extract_lane(s, 1);
}
