// Winograd F(2x2, 3x3) convolution of NHWC tensors, stride 1: the forward pass of a 3x3 layer, and
// its input gradient (dy convolved with the rotated filter, padded by 2 - pad). Blocks of T tiles go
// through three steps while they stay in L2: the input transform writes the 16 transformed tiles
// straight into the GEMM micro-kernel's packed layout, 16 GEMMs [T x c]·[c x n] (one per element ξ
// of the transformed tile) multiply them by the transformed filter, and the output transform turns
// the results into 2x2 output pixels (+ bias, ReLU). Output channels go in blocks of COB so that the
// transformed filter's slice, the block's inputs and results fit in L2 together.
import { GEMM_MR as MR, GEMM_NR as NR } from "./isa";
import { convUkernel } from "./conv_ukernel";
import { winogradFilterTile, winogradGatherPaddedTile, winogradInputTile, winogradOutputTile } from "./winograd_transforms";

// Tiles per block (whole strips of MR) and output channels per GEMM block.
const STRIPS: i32 = 8;
const T: i32 = STRIPS * MR;
const COB: i32 = 64;

// @ts-ignore: decorator
@inline function roundUp(x: i32, q: i32): i32 { return (x + q - 1) / q * q; }

/** Bytes of private scratch per thread of f32_conv2d_winograd_2x2_3x3__wasmsimd for c input and n output channels. */
export function f32_conv2d_winograd_scratch_size(c: i32, n: i32): i32 {
  return (16 * T * c + 16 * T * min(roundUp(n, NR), COB) + 64) * 4 + 32 * 64 + 64;
}

/** Bytes of the transformed filter for c input and n output channels. */
export function f32_conv2d_winograd_filter_size(c: i32, n: i32): i32 {
  return 16 * c * roundUp(n, NR) * 4;
}

/** Pool entry: transform input channels [lo, hi) of the 3x3 HWIO filter w (cin x cout) into u, laid
 *  out as 16 x ceil(n/8) panels of c rows x 8 (the micro-kernel's B). flip = 0: the forward filter
 *  (c = cin, n = cout); flip = 1: the input gradient's, rotated 180 degrees with channels swapped
 *  (c = cout, n = cin). n must be a multiple of 4; scratch + thread*scratchStride holds 36 floats. */
export function f32_conv2d_winograd_filter_2x2_3x3__wasmsimd(
  w: usize, cin: i32, cout: i32, flip: i32, u: usize, scratch: usize, scratchStride: usize,
  lo: i32, hi: i32, thread: i32,
): void {
  const c = flip ? cout : cin;
  const n = flip ? cin : cout;
  const panels = roundUp(n, NR) / NR;
  const us = <usize>(panels * c) << 5;
  const tmp = ((scratch + <usize>thread * scratchStride) + 15) & ~<usize>15;
  const tapBytes = <usize>(cin * cout) << 2;
  for (let k = lo; k < hi; k++) {
    for (let j = 0; j < panels * NR; j += 4) {
      const dst = u + ((<usize>((j >> 3) * c + k)) << 5) + (<usize>(j & 7) << 2);
      if (j >= n) {
        for (let x = 0; x < 16; x++) v128.store(dst + <usize>x * us, f32x4.splat(0));
      } else if (!flip) {
        winogradFilterTile(w + (<usize>(k * cout + j) << 2), tapBytes * 3, tapBytes, dst, us);
      } else {
        // The rotated filter's 4 output channels are strided by cout: gather them first.
        for (let t = 0; t < 9; t++) {
          const from = w + <usize>(8 - t) * tapBytes + (<usize>(j * cout + k) << 2);
          for (let l = 0; l < 4; l++) store<f32>(tmp + (<usize>(t * 4 + l) << 2), load<f32>(from + (<usize>(l * cout) << 2)));
        }
        winogradFilterTile(tmp, 48, 16, dst, us);
      }
    }
  }
}

/** Pool entry: blocks [lo, hi) of T tiles of out [batch, dstH, dstW, n] = conv3x3(src [batch, srcH,
 *  srcW, c], stride 1, padding padT/padL) with the filter transformed into u (+ bias)(ReLU: flags
 *  1 = bias, 2 = ReLU); c and n multiples of 4. */
export function f32_conv2d_winograd_2x2_3x3__wasmsimd(
  src: usize, batch: i32, srcH: i32, srcW: i32, c: i32, dstH: i32, dstW: i32, padT: i32, padL: i32,
  n: i32, u: usize, out: usize, bias: usize, flags: u32,
  scratch: usize, scratchStride: usize,
  lo: i32, hi: i32, thread: i32,
): void {
  const tilesX = (dstW + 1) >> 1, tilesY = (dstH + 1) >> 1;
  const tiles = batch * tilesY * tilesX;
  const v = ((scratch + <usize>thread * scratchStride) + 63) & ~<usize>63;
  const np = roundUp(n, NR);
  // Row stride of the GEMM results: one block of output channels.
  const cobMax = min(np, COB);
  // ξ strides padded by a cache line: at multiples of 4 KB the 16 values of one tile share an L1 set.
  const vs = (<usize>(T * c) << 2) + 64;
  const m = v + vs * 16;
  const ms = (<usize>(T * cobMax) << 2) + 64;
  const tmp = m + ms * 16;
  const us = <usize>(np * c) << 2;
  const stripBytes = <usize>(c * MR) << 2;
  for (let blk = lo; blk < hi; blk++) {
    const t0 = blk * T;
    const count = min(T, tiles - t0);
    if (count <= 0) break;
    // Input transform, tile by tile (b, ty, tx).
    let b = t0 / (tilesY * tilesX);
    let ty = (t0 - b * tilesY * tilesX) / tilesX;
    let tx = t0 - (b * tilesY + ty) * tilesX;
    for (let r = 0; r < count; r++) {
      const dst = v + <usize>(r / MR) * stripBytes + (<usize>(r % MR) << 2);
      inputTile(src, b, srcH, srcW, c, 2 * ty - padT, 2 * tx - padL, dst, vs, tmp);
      if (++tx == tilesX) { tx = 0; if (++ty == tilesY) { ty = 0; b++; } }
    }
    const strips = (count + MR - 1) / MR;
    for (let cb = 0; cb < np; cb += COB) {
      const cob = min(COB, np - cb);
      for (let x = 0; x < 16; x++) {
        let a = v + <usize>x * vs;
        let cs = m + <usize>x * ms;
        for (let s = 0; s < strips; s++) {
          let bp = u + <usize>x * us + (<usize>(cb * c) << 2);
          for (let j = 0; j < cob; j += NR) {
            convUkernel(c, a, <usize>MR << 2, bp, cs + (<usize>j << 2), <usize>cobMax << 2, 0, 0);
            bp += <usize>c << 5;
          }
          a += stripBytes;
          cs += <usize>(MR * cobMax) << 2;
        }
      }
      // Output transform of this block of channels.
      b = t0 / (tilesY * tilesX);
      ty = (t0 - b * tilesY * tilesX) / tilesX;
      tx = t0 - (b * tilesY + ty) * tilesX;
      const nEnd = min(cb + cob, n);
      for (let r = 0; r < count; r++) {
        const oy = 2 * ty, ox = 2 * tx;
        const o = out + ((<usize>((b * dstH + oy) * dstW + ox) * n) << 2);
        for (let co = cb; co < nEnd; co += 4) {
          winogradOutputTile(
            m + (<usize>(r * cobMax + co - cb) << 2), ms, o + (<usize>co << 2), <usize>(dstW * n) << 2, <usize>n << 2,
            dstH - oy, dstW - ox, flags & 1 ? bias + (<usize>co << 2) : 0, (flags & 2) != 0,
          );
        }
        if (++tx == tilesX) { tx = 0; if (++ty == tilesY) { ty = 0; b++; } }
      }
    }
  }
}

// Transform the 4x4 input tile at (iy, ix) of image b, all c channels, into the packed strip at dst.
// A tile reaching into the padding is first copied into tmp (64 floats) with zeros around it.
function inputTile(src: usize, b: i32, srcH: i32, srcW: i32, c: i32, iy: i32, ix: i32, dst: usize, vs: usize, tmp: usize): void {
  const pixel = <usize>c << 2;
  const line = <usize>srcW * pixel;
  // Consecutive channels are consecutive k groups of MR floats in the packed strip.
  const g: usize = <usize>MR << 2;
  const groupBytes = g << 2;
  const image = src + <usize>(b * srcH) * line;
  if (iy >= 0 && ix >= 0 && iy + 4 <= srcH && ix + 4 <= srcW) {
    const at = image + <usize>iy * line + <usize>ix * pixel;
    for (let ch = 0; ch < c; ch += 4) winogradInputTile(at + (<usize>ch << 2), line, pixel, dst + <usize>(ch >> 2) * groupBytes, vs, g, g * 2, g * 3);
    return;
  }
  for (let ch = 0; ch < c; ch += 4) {
    winogradGatherPaddedTile(image, srcH, srcW, line, pixel, iy, ix, ch, tmp);
    winogradInputTile(tmp, 64, 16, dst + <usize>(ch >> 2) * groupBytes, vs, g, g * 2, g * 3);
  }
}
