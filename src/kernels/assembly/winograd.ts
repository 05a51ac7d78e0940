// Winograd convolution of NHWC tensors with a 3x3 filter, stride 1: the forward pass of a 3x3 layer,
// and its input gradient (dy convolved with the rotated filter, padded by 2 - pad), as F(2x2, 3x3)
// (winograd_transforms.ts) or F(4x4, 3x3) (winograd_4x4_transforms.ts). Blocks of T tiles go through
// three steps while they stay in L2: the input transform writes the a x a transformed tiles (a = 4 or
// 6) straight into the GEMM micro-kernel's packed layout, a² GEMMs [T x c]·[c x n] (one per element ξ
// of the transformed tile) multiply them by the transformed filter, and the output transform turns
// the results into 2x2 or 4x4 output pixels (+ bias, ReLU). Output channels go in blocks of COB so
// that the transformed filter's slice, the block's inputs and results fit in L2 together.
import { GEMM_MR as MR, GEMM_NR as NR } from "./isa";
import { convUkernelC4 } from "./conv_ukernel";
import { winogradFilterTile, winogradInputTransform, winogradOutputTile } from "./winograd_transforms";
import { winograd4FilterTile, winograd4InputTransform, winograd4OutputTile } from "./winograd_4x4_transforms";

// Output channels per GEMM block.
const COB: i32 = 64;

// @ts-ignore: decorator
@inline function roundUp(x: i32, q: i32): i32 { return (x + q - 1) / q * q; }

// Tiles per block for output tiles of e x e: 8 strips of 2x2 tiles, 4 strips of the 2.25x larger 4x4
// ones, so a block's transformed inputs and results take about the same L2 either way.
// @ts-ignore: decorator
@inline function blockTiles(e: i32): i32 { return (e == 4 ? 4 : 8) * MR; }

// Vectors of tmp: 36 for the 4x4 transforms' first pass (the input transform's, then the output
// transform's 24), a zero-padded copy of each of a strip's MR tiles that reaches past the edge (36
// vectors each at most), and the strip's tile positions (MR x 32 bytes).
const TMP_VECTORS: i32 = 36 + MR * 36 + MR * 2;

// Floats in a transformed tile: a² for the a x a input tile, a = e + 2.
// @ts-ignore: decorator
@inline function tileValues(e: i32): i32 { return (e + 2) * (e + 2); }

/** Bytes of private scratch per thread of f32_conv2d_winograd_{e}x{e}_3x3__wasmsimd for c input and
 *  n output channels and output tiles of e x e (2 or 4). */
export function f32_conv2d_winograd_scratch_size(c: i32, n: i32, e: i32): i32 {
  const xi = tileValues(e), t = blockTiles(e);
  // Transformed inputs and results, each ξ padded by a cache line; tmp (see TMP_VECTORS); alignment.
  return xi * (t * c * 4 + 64) + xi * (t * min(roundUp(n, NR), COB) * 4 + 64) + TMP_VECTORS * 16 + 64;
}

/** Bytes of the transformed filter for c input and n output channels and output tiles of e x e. */
export function f32_conv2d_winograd_filter_size(c: i32, n: i32, e: i32): i32 {
  return tileValues(e) * c * roundUp(n, NR) * 4;
}

/** Pool entry: the F(2x2, 3x3) filter transform of input channels [lo, hi); see winogradFilter. */
export function f32_conv2d_winograd_filter_2x2_3x3__wasmsimd(
  w: usize, cin: i32, cout: i32, flip: i32, u: usize, scratch: usize, scratchStride: usize,
  lo: i32, hi: i32, thread: i32,
): void {
  winogradFilter(2, w, cin, cout, flip, u, scratch, scratchStride, lo, hi, thread);
}

/** Pool entry: the F(4x4, 3x3) filter transform of input channels [lo, hi); see winogradFilter. */
export function f32_conv2d_winograd_filter_4x4_3x3__wasmsimd(
  w: usize, cin: i32, cout: i32, flip: i32, u: usize, scratch: usize, scratchStride: usize,
  lo: i32, hi: i32, thread: i32,
): void {
  winogradFilter(4, w, cin, cout, flip, u, scratch, scratchStride, lo, hi, thread);
}

// Transform input channels [lo, hi) of the 3x3 HWIO filter w (cin x cout) into u, laid out as a² x
// ceil(n/8) panels of c rows x 8 (the micro-kernel's B). flip = 0: the forward filter (c = cin,
// n = cout); flip = 1: the input gradient's, rotated 180 degrees with channels swapped (c = cout,
// n = cin). n must be a multiple of 4; scratch + thread*scratchStride holds 64 vectors.
// @ts-ignore: decorator
@inline function winogradFilter(
  e: i32, w: usize, cin: i32, cout: i32, flip: i32, u: usize, scratch: usize, scratchStride: usize,
  lo: i32, hi: i32, thread: i32,
): void {
  const c = flip ? cout : cin;
  const n = flip ? cin : cout;
  const xi = tileValues(e);
  const panels = roundUp(n, NR) / NR;
  const us = <usize>(panels * c) << 5;
  const tmp = ((scratch + <usize>thread * scratchStride) + 15) & ~<usize>15;
  // The gathered flipped filter (9 vectors) sits after the 4x4 transform's 24 vectors of tmp.
  const gathered = tmp + 24 * 16;
  const tapBytes = <usize>(cin * cout) << 2;
  for (let k = lo; k < hi; k++) {
    for (let j = 0; j < panels * NR; j += 4) {
      const dst = u + ((<usize>((j >> 3) * c + k)) << 5) + (<usize>(j & 7) << 2);
      if (j >= n) {
        for (let x = 0; x < xi; x++) v128.store(dst + <usize>x * us, f32x4.splat(0));
        continue;
      }
      let g = w + (<usize>(k * cout + j) << 2), rs = tapBytes * 3, cs = tapBytes;
      if (flip) {
        // The rotated filter's 4 output channels are strided by cout: gather them first.
        for (let t = 0; t < 9; t++) {
          const from = w + <usize>(8 - t) * tapBytes + (<usize>(j * cout + k) << 2);
          for (let l = 0; l < 4; l++) store<f32>(gathered + (<usize>(t * 4 + l) << 2), load<f32>(from + (<usize>(l * cout) << 2)));
        }
        g = gathered; rs = 48; cs = 16;
      }
      if (e == 4) winograd4FilterTile(g, rs, cs, dst, us, tmp);
      else winogradFilterTile(g, rs, cs, dst, us);
    }
  }
}

/** Pool entry: F(2x2, 3x3) convolution of blocks [lo, hi) of tiles; see winogradConv. */
export function f32_conv2d_winograd_2x2_3x3__wasmsimd(
  src: usize, batch: i32, srcH: i32, srcW: i32, c: i32, dstH: i32, dstW: i32, padT: i32, padL: i32,
  n: i32, u: usize, out: usize, bias: usize, flags: u32,
  scratch: usize, scratchStride: usize,
  lo: i32, hi: i32, thread: i32,
): void {
  winogradConv(2, src, batch, srcH, srcW, c, dstH, dstW, padT, padL, n, u, out, bias, flags, scratch, scratchStride, lo, hi, thread);
}

/** Pool entry: F(4x4, 3x3) convolution of blocks [lo, hi) of tiles; see winogradConv. */
export function f32_conv2d_winograd_4x4_3x3__wasmsimd(
  src: usize, batch: i32, srcH: i32, srcW: i32, c: i32, dstH: i32, dstW: i32, padT: i32, padL: i32,
  n: i32, u: usize, out: usize, bias: usize, flags: u32,
  scratch: usize, scratchStride: usize,
  lo: i32, hi: i32, thread: i32,
): void {
  winogradConv(4, src, batch, srcH, srcW, c, dstH, dstW, padT, padL, n, u, out, bias, flags, scratch, scratchStride, lo, hi, thread);
}

// Blocks [lo, hi) of T tiles of out [batch, dstH, dstW, n] = conv3x3(src [batch, srcH, srcW, c],
// stride 1, padding padT/padL) with the filter transformed into u (+ bias)(ReLU: flags 1 = bias,
// 2 = ReLU), in output tiles of e x e; c and n multiples of 4.
// @ts-ignore: decorator
@inline function winogradConv(
  e: i32, src: usize, batch: i32, srcH: i32, srcW: i32, c: i32, dstH: i32, dstW: i32, padT: i32, padL: i32,
  n: i32, u: usize, out: usize, bias: usize, flags: u32,
  scratch: usize, scratchStride: usize,
  lo: i32, hi: i32, thread: i32,
): void {
  const xi = tileValues(e), T = blockTiles(e);
  const tilesX = (dstW + e - 1) / e, tilesY = (dstH + e - 1) / e;
  const tiles = batch * tilesY * tilesX;
  const v = ((scratch + <usize>thread * scratchStride) + 63) & ~<usize>63;
  const np = roundUp(n, NR);
  // Row stride of the GEMM results: one block of output channels.
  const cobMax = min(np, COB);
  // ξ strides padded by a cache line: at multiples of 4 KB the values of one tile share an L1 set.
  const vs = (<usize>(T * c) << 2) + 64;
  const m = v + vs * xi;
  const ms = (<usize>(T * cobMax) << 2) + 64;
  const tmp = m + ms * xi;
  const us = <usize>(np * c) << 2;
  const stripBytes = <usize>(c * MR) << 2;
  for (let blk = lo; blk < hi; blk++) {
    const t0 = blk * T;
    const count = min(T, tiles - t0);
    if (count <= 0) break;
    // Input transform, a strip of MR tiles (b, ty, tx) at a time.
    let b = t0 / (tilesY * tilesX);
    let ty = (t0 - b * tilesY * tilesX) / tilesX;
    let tx = t0 - (b * tilesY + ty) * tilesX;
    for (let r = 0; r < count; r += MR) {
      inputStrip(e, src, srcH, srcW, c, b, ty, tx, tilesY, tilesX, padT, padL, min(MR, count - r), v + <usize>(r / MR) * stripBytes, vs, tmp);
      for (let k = 0; k < MR; k++) if (++tx == tilesX) { tx = 0; if (++ty == tilesY) { ty = 0; b++; } }
    }
    const strips = (count + MR - 1) / MR;
    for (let cb = 0; cb < np; cb += COB) {
      const cob = min(COB, np - cb);
      for (let x = 0; x < xi; x++) {
        let a = v + <usize>x * vs;
        let cs = m + <usize>x * ms;
        for (let s = 0; s < strips; s++) {
          let bp = u + <usize>x * us + (<usize>(cb * c) << 2);
          for (let j = 0; j < cob; j += NR) {
            convUkernelC4(c, a, bp, cs + (<usize>j << 2), <usize>cobMax << 2);
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
      const relu = (flags & 2) != 0;
      for (let r = 0; r < count; r++) {
        const oy = e * ty, ox = e * tx;
        const o = out + ((<usize>((b * dstH + oy) * dstW + ox) * n) << 2);
        const ors = <usize>(dstW * n) << 2, ocs = <usize>n << 2;
        for (let co = cb; co < nEnd; co += 4) {
          const mt = m + (<usize>(r * cobMax + co - cb) << 2);
          const bt = flags & 1 ? bias + (<usize>co << 2) : 0;
          const oc = o + (<usize>co << 2);
          if (e == 4) winograd4OutputTile(mt, ms, oc, ors, ocs, dstH - oy, dstW - ox, bt, relu, tmp);
          else winogradOutputTile(mt, ms, oc, ors, ocs, dstH - oy, dstW - ox, bt, relu);
        }
        if (++tx == tilesX) { tx = 0; if (++ty == tilesY) { ty = 0; b++; } }
      }
    }
  }
}

// Transform the strip of MR tiles starting at tile (b, ty, tx), all c channels, into the strip at
// dst in the layout of ukernel_c4.ts: channels in groups of four, V[ξ] of tile t's channels ch..ch+3
// as one vector at dst + ξ*vs + 16*MR*(ch/4) + 16t. Tiles past the first `live` repeat the last live
// one, whose rows the output transform never reads. (The plain micro-kernels' k-major strip needs
// each tile's four channels scattered as lanes, 4x the stores, each to a line that had left L1 since
// the strip's previous tile, or a transpose of the strip's tiles.) A tile reaching into the padding
// is copied into its own a x a buffer first, whose zeros are written once per strip: each group of 4
// channels copies only the rows and columns inside.
// @ts-ignore: decorator
@inline function inputStrip(
  e: i32, src: usize, srcH: i32, srcW: i32, c: i32, b: i32, ty: i32, tx: i32, tilesY: i32, tilesX: i32,
  padT: i32, padL: i32, live: i32, dst: usize, vs: usize, tmp: usize,
): void {
  const a = e + 2;
  const xi = a * a;
  const pixel = <usize>c << 2;
  const line = <usize>srcW * pixel;
  const padded = tmp + 36 * 16;
  const groupBytes = <usize>MR << 4;
  // Per tile, 8 i32: its top-left pixel (channel 0, possibly outside the image), and for an edge tile
  // the rows [i0, i1) and columns [j0, j1) of it inside the image (i1 = 0: the tile is inside).
  const where = padded + <usize>(MR * 36) * 16;
  for (let t = 0; t < MR; t++) {
    const iy = e * ty - padT, ix = e * tx - padL;
    const w = where + (<usize>t << 5);
    store<u32>(w, <u32>(src + <usize>(b * srcH) * line + <usize>iy * line + <usize>ix * pixel));
    const inside = iy >= 0 && ix >= 0 && iy + a <= srcH && ix + a <= srcW;
    store<i32>(w, max(0, -iy), 4);
    store<i32>(w, inside ? 0 : min(a, srcH - iy), 8);
    store<i32>(w, max(0, -ix), 12);
    store<i32>(w, min(a, srcW - ix), 16);
    if (!inside) {
      const z = f32x4.splat(0), pt = padded + <usize>t * (36 * 16);
      for (let x = 0; x < xi; x++) v128.store(pt + (<usize>x << 4), z);
    }
    if (t + 1 < live && ++tx == tilesX) { tx = 0; if (++ty == tilesY) { ty = 0; b++; } }
  }
  for (let t = 0; t < MR; t++) {
    const w = where + (<usize>t << 5);
    const corner = <usize>load<u32>(w);
    const i1 = load<i32>(w, 8);
    const pt = padded + <usize>t * (36 * 16);
    let to = dst + (<usize>t << 4);
    for (let ch = 0; ch < c; ch += 4) {
      let d = corner + (<usize>ch << 2);
      let rs = line, cs = pixel;
      if (i1 != 0) {
        const i0 = load<i32>(w, 4), j0 = load<i32>(w, 12), j1 = load<i32>(w, 16);
        for (let i = i0; i < i1; i++) {
          for (let j = j0; j < j1; j++) v128.store(pt + (<usize>(i * a + j) << 4), v128.load(d + <usize>i * line + <usize>j * pixel));
        }
        d = pt; rs = <usize>a << 4; cs = 16;
      }
      if (e == 4) winograd4InputTransform(d, rs, cs, to, vs, tmp);
      else winogradInputTransform(d, rs, cs, to, vs);
      to += groupBytes;
    }
  }
}
