// Filter gradient of a convolution with one input channel (the CNN's first layer, K = 9 taps):
// dW[t, :] = sum over pixels of x at tap t times dy[pixel, :]. As a GEMM, K = 9 strips poorly
// (9 of 12 tile rows used, and each pixel's 9 taps packed with scalar moves); here a block of pixels'
// taps is gathered once, then two taps x 16 channels of dW accumulate in registers over the block.
// Partials and their reduction are the general kernel's (conv_backprop_filter.ts).
import { GEMM_MR as MR, GEMM_NR as NR } from "./isa";
import { madd } from "./isa";
import { CONV_GEOMETRY_BYTES, ConvGeometry, gatherHere, interiorHere, nextPixel, seekPixel, setGeometry } from "./conv_geometry";

// Pixels per block: their gathered taps (KB x K floats) and dy rows (KB x n) stay in L1.
const KB: i32 = 64;

// @ts-ignore: decorator
@inline function roundUp(x: i32, q: i32): i32 { return (x + q - 1) / q * q; }

/** Bytes of private scratch per thread for f32_conv2d_backprop_filter_c1__wasmsimd with k = fh*fw taps. */
export function f32_conv2d_backprop_filter_c1_scratch_size(k: i32): i32 {
  return <i32>CONV_GEOMETRY_BYTES + (KB * roundUp(k + 1, 4) + k) * 4 + 64;
}

/** Pool entry: like f32_conv2d_backprop_filter_gemm__wasmsimd for x with one channel ([*, srcH, srcW, 1]) and n
 *  a multiple of 4; writes the same partials, summed by f32_conv2d_backprop_filter_reduce__wasmsimd. */
export function f32_conv2d_backprop_filter_c1__wasmsimd(
  x: usize, srcH: i32, srcW: i32, dstH: i32, dstW: i32, fh: i32, fw: i32,
  strideH: i32, strideW: i32, padT: i32, padL: i32,
  dy: usize, m: i32, n: i32, tasks: i32, partials: usize,
  scratch: usize, scratchStride: usize,
  lo: i32, hi: i32, thread: i32,
): void {
  const own = ((scratch + <usize>thread * scratchStride) + 63) & ~<usize>63;
  const g = setGeometry(own, x, srcH, srcW, 1, dstH, dstW, fh, fw, strideH, strideW, padT, padL, 1, 1);
  const k = fh * fw;
  // A gathered row has one extra zero tap so that taps can go in pairs.
  const kr = roundUp(k + 1, 4);
  const taps = own + CONV_GEOMETRY_BYTES;
  const block = taps + (<usize>k << 2);
  const np = roundUp(n, NR);
  const partialBytes = <usize>(roundUp(k, MR) * np) << 2;
  for (let fy = 0, t = 0; fy < fh; fy++) {
    for (let fx = 0; fx < fw; fx++, t++) store<i32>(taps + (<usize>t << 2), (fy * srcW + fx) << 2);
  }
  for (let t = lo; t < hi; t++) {
    const p1 = <i32>(<i64>(t + 1) * m / tasks);
    const partial = partials + <usize>t * partialBytes;
    memory.fill(partial, 0, partialBytes);
    const first = <i32>(<i64>t * m / tasks);
    if (first < p1) seekPixel(g, first);
    for (let p0 = first; p0 < p1; p0 += KB) {
      const kb = min(KB, p1 - p0);
      gatherBlock(g, kb, taps, block, kr);
      const d = dy + (<usize>p0 * n << 2);
      for (let tap = 0; tap < k; tap += 2) {
        const row0 = partial + <usize>tap * np * 4;
        const row1 = tap + 1 < k ? row0 + (<usize>np << 2) : 0;
        let j = 0;
        for (; j + 16 <= n; j += 16) accumulate16(kb, block + (<usize>tap << 2), kr, d + (<usize>j << 2), n, row0 + (<usize>j << 2), row1 == 0 ? 0 : row1 + (<usize>j << 2));
        for (; j < n; j += 4) accumulate4(kb, block + (<usize>tap << 2), kr, d + (<usize>j << 2), n, row0 + (<usize>j << 2), row1 == 0 ? 0 : row1 + (<usize>j << 2));
      }
    }
  }
}

// Gather the taps of the kb pixels from the cursor's on (moving it past them) into rows of kr
// floats at block (taps k..kr zero).
function gatherBlock(g: ConvGeometry, kb: i32, taps: usize, block: usize, kr: i32): void {
  const k = g.fh * g.fw;
  for (let kk = 0; kk < kb; kk++) {
    const row = block + (<usize>(kk * kr) << 2);
    const first = interiorHere(g);
    if (first != 0) {
      for (let t = 0; t < k; t++) store<f32>(row + (<usize>t << 2), load<f32>(first + <usize>load<i32>(taps + (<usize>t << 2))));
    } else {
      gatherHere(g, row);
    }
    nextPixel(g);
    for (let t = k; t < kr; t++) store<f32>(row + (<usize>t << 2), 0);
  }
}

// Over kb pixels: rows r0 (tap t) and r1 (tap t+1, 0 = none) of dW[:, 16 columns] += tap value x dy.
function accumulate16(kb: i32, taps: usize, kr: i32, dy: usize, n: i32, r0: usize, r1: usize): void {
  let a0 = f32x4.splat(0), a1 = a0, a2 = a0, a3 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0;
  const tapStride = <usize>kr << 2;
  const dyStride = <usize>n << 2;
  for (let i = 0; i < kb; i++) {
    const x0 = v128.load32_splat(taps), x1 = v128.load32_splat(taps, 4);
    const d0 = v128.load(dy), d1 = v128.load(dy, 16), d2 = v128.load(dy, 32), d3 = v128.load(dy, 48);
    a0 = madd(x0, d0, a0); a1 = madd(x0, d1, a1); a2 = madd(x0, d2, a2); a3 = madd(x0, d3, a3);
    b0 = madd(x1, d0, b0); b1 = madd(x1, d1, b1); b2 = madd(x1, d2, b2); b3 = madd(x1, d3, b3);
    taps += tapStride;
    dy += dyStride;
  }
  addTo(r0, a0); addTo(r0 + 16, a1); addTo(r0 + 32, a2); addTo(r0 + 48, a3);
  if (r1 != 0) { addTo(r1, b0); addTo(r1 + 16, b1); addTo(r1 + 32, b2); addTo(r1 + 48, b3); }
}

// accumulate16 for 4 columns.
function accumulate4(kb: i32, taps: usize, kr: i32, dy: usize, n: i32, r0: usize, r1: usize): void {
  let a = f32x4.splat(0), b = a;
  const tapStride = <usize>kr << 2;
  const dyStride = <usize>n << 2;
  for (let i = 0; i < kb; i++) {
    const d = v128.load(dy);
    a = madd(v128.load32_splat(taps), d, a);
    b = madd(v128.load32_splat(taps, 4), d, b);
    taps += tapStride;
    dy += dyStride;
  }
  addTo(r0, a);
  if (r1 != 0) addTo(r1, b);
}

// @ts-ignore: decorator
@inline function addTo(p: usize, v: v128): void {
  v128.store(p, f32x4.add(v128.load(p), v));
}
