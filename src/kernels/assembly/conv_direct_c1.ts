// Direct kernels for a convolution with one input channel (the CNN's first layer: K = 9 taps, 16
// outputs). As a GEMM its K of 9 is too short to amortise packing (it ran at 9 GFLOP/s); here each
// pixel's taps are broadcast straight from the image and multiplied into 16-channel rows of the
// filter, two pixels at a time so each filter vector loaded serves both. A channel count that is
// not a multiple of 4 (LeNet's 6) is padded with zero columns in a private copy of the filter and
// bias, and only the real channels are stored.
import { madd } from "./isa";
import { CONV_GEOMETRY_BYTES, ConvGeometry, gatherHere, interiorHere, nextPixel, seekPixel, setGeometry } from "./conv_geometry";

/** f32_conv2d_c1_direct__wasmsimd flag: add bias[n]. */
const C1_BIAS: u32 = 1;
/** f32_conv2d_c1_direct__wasmsimd flag: clamp at 0 after the bias. */
const C1_RELU: u32 = 2;

/** Bytes of private scratch per thread for the one-input-channel kernels with k = fh*fw taps and n
 *  output channels. */
export function f32_conv2d_c1_scratch_size(k: i32, n: i32): i32 {
  return <i32>CONV_GEOMETRY_BYTES + k * 4 * 3 + (k + 1) * (((n + 3) & ~3) << 2) + 64;
}

// Byte offsets of each tap from the patch's first tap, in the image (interior pixels) and in a
// gathered patch row; returns the gathered row's address.
function tapTables(g: ConvGeometry, own: usize): usize {
  const k = g.fh * g.fw;
  const image = own + CONV_GEOMETRY_BYTES;
  const row = image + (<usize>k << 2);
  for (let fy = 0, t = 0; fy < g.fh; fy++) {
    for (let fx = 0; fx < g.fw; fx++, t++) {
      store<i32>(image + (<usize>t << 2), (fy * g.srcW + fx) << 2);
      store<i32>(row + (<usize>t << 2), t << 2);
    }
  }
  return row + (<usize>k << 2);
}

/** Pool entry: output pixels [lo, hi) of out[m, n] = conv(x, w) (+ bias)(ReLU) for an image with
 *  one channel (x is [*, srcH, srcW, 1]), w [k, n]; flags: 1 bias, 2 ReLU. */
export function f32_conv2d_c1_direct__wasmsimd(
  x: usize, srcH: i32, srcW: i32, dstH: i32, dstW: i32, fh: i32, fw: i32,
  strideH: i32, strideW: i32, padT: i32, padL: i32,
  w: usize, n: i32, out: usize, bias: usize, flags: u32,
  scratch: usize, scratchStride: usize,
  lo: i32, hi: i32, thread: i32,
): void {
  const own = ((scratch + <usize>thread * scratchStride) + 63) & ~<usize>63;
  const g = setGeometry(own, x, srcH, srcW, 1, dstH, dstW, fh, fw, strideH, strideW, padT, padL, 1, 1);
  const k = fh * fw;
  const imageTaps = own + CONV_GEOMETRY_BYTES;
  const rowTaps = imageTaps + (<usize>k << 2);
  const patch = tapTables(g, own);
  const rowBytes = <usize>n << 2;
  // Filter rows of n4 floats: w itself when n is a multiple of 4, else a zero-padded copy (and of bias).
  const n4 = (n + 3) & ~3;
  const ldw = <usize>n4 << 2;
  if (n != n4) {
    const wp = patch + (<usize>k << 2);
    const bp = wp + <usize>k * ldw;
    for (let t = 0; t < k; t++) {
      for (let j = 0; j < n4; j++) {
        store<f32>(wp + <usize>t * ldw + (<usize>j << 2), j < n ? load<f32>(w + <usize>t * rowBytes + (<usize>j << 2)) : 0);
      }
    }
    if (flags & C1_BIAS) for (let j = 0; j < n4; j++) store<f32>(bp + (<usize>j << 2), j < n ? load<f32>(bias + (<usize>j << 2)) : 0);
    w = wp;
    bias = bp;
  }
  if (lo < hi) seekPixel(g, lo);
  for (let m = lo; m < hi; ) {
    // The cursor is at pixel m, or at m + 1 after a pair was tried and not taken.
    const o = out + <usize>m * rowBytes;
    const p0 = interiorHere(g);
    nextPixel(g);
    const p1 = m + 1 < hi && p0 != 0 ? interiorHere(g) : 0;
    if (p1 != 0) {
      nextPixel(g);
      let j = 0;
      for (; j + 16 <= n; j += 16) {
        pair16(k, p0, p1, imageTaps, w + (<usize>j << 2), ldw, o + (<usize>j << 2), rowBytes, bias + (<usize>j << 2), flags);
      }
      for (; j < n; j += 8) {
        const jb = <usize>j << 2;
        if (n - j > 4) pair8(k, p0, p1, imageTaps, w + jb, ldw, o + jb, rowBytes, bias + jb, flags, n - j);
        else {
          single4(k, p0, imageTaps, w + jb, ldw, o + jb, bias + jb, flags, n - j);
          single4(k, p1, imageTaps, w + jb, ldw, o + rowBytes + jb, bias + jb, flags, n - j);
        }
      }
      m += 2;
      continue;
    }
    let src = p0, taps = imageTaps;
    if (p0 == 0) {
      // Step back to gather pixel m itself.
      seekPixel(g, m);
      gatherHere(g, patch);
      nextPixel(g);
      src = patch;
      taps = rowTaps;
    }
    for (let j = 0; j < n; j += 4) {
      single4(k, src, taps, w + (<usize>j << 2), ldw, o + (<usize>j << 2), bias + (<usize>j << 2), flags, n - j);
    }
    m += 1;
  }
}

// Two pixels (taps at p0 + tap offset, p1 + tap offset) times 16 filter columns at w (row stride
// ldw bytes) into two output rows at o and o + ldo.
function pair16(k: i32, p0: usize, p1: usize, taps: usize, w: usize, ldw: usize, o: usize, ldo: usize, bias: usize, flags: u32): void {
  let a0 = f32x4.splat(0), a1 = a0, a2 = a0, a3 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0;
  if (flags & C1_BIAS) {
    a0 = v128.load(bias); a1 = v128.load(bias, 16); a2 = v128.load(bias, 32); a3 = v128.load(bias, 48);
    b0 = a0; b1 = a1; b2 = a2; b3 = a3;
  }
  for (let t = 0; t < k; t++) {
    const off = <usize>load<i32>(taps + (<usize>t << 2));
    const x0 = v128.load32_splat(p0 + off), x1 = v128.load32_splat(p1 + off);
    const w0 = v128.load(w), w1 = v128.load(w, 16), w2 = v128.load(w, 32), w3 = v128.load(w, 48);
    a0 = madd(x0, w0, a0); a1 = madd(x0, w1, a1); a2 = madd(x0, w2, a2); a3 = madd(x0, w3, a3);
    b0 = madd(x1, w0, b0); b1 = madd(x1, w1, b1); b2 = madd(x1, w2, b2); b3 = madd(x1, w3, b3);
    w += ldw;
  }
  v128.store(o, a0); v128.store(o, a1, 16); v128.store(o, a2, 32); v128.store(o, a3, 48);
  const o1 = o + ldo;
  v128.store(o1, b0); v128.store(o1, b1, 16); v128.store(o1, b2, 32); v128.store(o1, b3, 48);
  // ReLU after the stores: arithmetic on the accumulators after the loop makes V8 spill inside it.
  if (flags & C1_RELU) {
    relu4(o); relu4(o + 16); relu4(o + 32); relu4(o + 48);
    relu4(o1); relu4(o1 + 16); relu4(o1 + 32); relu4(o1 + 48);
  }
}

// Two pixels times 8 filter columns, of which the first `cols` (5 to 8) are stored.
function pair8(k: i32, p0: usize, p1: usize, taps: usize, w: usize, ldw: usize, o: usize, ldo: usize, bias: usize, flags: u32, cols: i32): void {
  let a0 = f32x4.splat(0), a1 = a0, b0 = a0, b1 = a0;
  if (flags & C1_BIAS) {
    a0 = v128.load(bias); a1 = v128.load(bias, 16);
    b0 = a0; b1 = a1;
  }
  for (let t = 0; t < k; t++) {
    const off = <usize>load<i32>(taps + (<usize>t << 2));
    const x0 = v128.load32_splat(p0 + off), x1 = v128.load32_splat(p1 + off);
    const w0 = v128.load(w), w1 = v128.load(w, 16);
    a0 = madd(x0, w0, a0); a1 = madd(x0, w1, a1);
    b0 = madd(x1, w0, b0); b1 = madd(x1, w1, b1);
    w += ldw;
  }
  v128.store(o, a0);
  store4(o + 16, a1, cols - 4);
  const o1 = o + ldo;
  v128.store(o1, b0);
  store4(o1 + 16, b1, cols - 4);
  if (flags & C1_RELU) {
    relu4(o); reluTail(o + 16, cols - 4);
    relu4(o1); reluTail(o1 + 16, cols - 4);
  }
}

// One pixel times 4 filter columns, of which the first `cols` (all when cols >= 4) are stored.
function single4(k: i32, p: usize, taps: usize, w: usize, ldw: usize, o: usize, bias: usize, flags: u32, cols: i32): void {
  let a = flags & C1_BIAS ? v128.load(bias) : f32x4.splat(0);
  for (let t = 0; t < k; t++) {
    const off = <usize>load<i32>(taps + (<usize>t << 2));
    a = madd(v128.load32_splat(p + off), v128.load(w), a);
    w += ldw;
  }
  store4(o, a, cols);
  if (flags & C1_RELU) reluTail(o, cols);
}

// Stores the first min(cols, 4) lanes of v at o: an output row's last channels, not its neighbour's.
function store4(o: usize, v: v128, cols: i32): void {
  if (cols >= 4) {
    v128.store(o, v);
    return;
  }
  store<f32>(o, f32x4.extract_lane(v, 0));
  if (cols > 1) store<f32>(o, f32x4.extract_lane(v, 1), 4);
  if (cols > 2) store<f32>(o, f32x4.extract_lane(v, 2), 8);
}

// ReLU of the first min(cols, 4) floats at o.
function reluTail(o: usize, cols: i32): void {
  if (cols >= 4) {
    relu4(o);
    return;
  }
  for (let i = 0; i < cols; i++) {
    const v = load<f32>(o + (<usize>i << 2));
    // NaN stays NaN, as with pmax.
    if (v < 0) store<f32>(o + (<usize>i << 2), 0);
  }
}

// @ts-ignore: decorator
@inline function relu4(p: usize): void {
  v128.store(p, f32x4.pmax(v128.load(p), f32x4.splat(0)));
}
