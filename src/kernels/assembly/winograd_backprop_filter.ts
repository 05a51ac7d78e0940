// Filter gradient of a 3x3 stride-1 NHWC convolution by Winograd F(3x3, 2x2): dy is cut into 2x2
// tiles, each with the 4x4 tile of x it saw; per tile the transformed x (cin channels) and dy (cout)
// give 16 outer products, and their sums over all tiles are 16 GEMMs [cin x tiles]·[tiles x cout]:
// 2.25x fewer multiplies than patchesᵀ·dy. As in conv_backprop_filter.ts, tiles are split into tasks
// with a private partial each; the reduction adds the partials and applies the output transform.
import { GEMM_MR as MR, GEMM_NR as NR, UK_LOAD_C } from "./isa";
import { convUkernel } from "./conv_ukernel";
import { winogradGatherPaddedTile, winogradInputTile } from "./winograd_transforms";
import { winogradGradOutput, winogradGradTile } from "./winograd_grad_transforms";

// Tiles per block. Measured at batch 128 (CPU ms, conv2/conv3/conv4 of the CNN): blocks of ~40
// tiles beat 128 (60/38/22 vs 95/37/22); a smaller block shortens every micro-kernel call (kc = tiles).
const TILES: i32 = 48;

// @ts-ignore: decorator
@inline function roundUp(x: i32, q: i32): i32 { return (x + q - 1) / q * q; }

// Tiles per block for cin and cout channels.
// @ts-ignore: decorator
@inline function blockTiles(cin: i32, cout: i32): i32 {
  return TILES;
}

/** Bytes of one task's partial sums for cin input and cout output channels. */
export function f32_conv2d_backprop_filter_winograd_partial_size(cin: i32, cout: i32): i32 {
  return 16 * roundUp(cin, MR) * roundUp(cout, NR) * 4;
}

/** Bytes of private scratch per thread of f32_conv2d_backprop_filter_winograd_3x3_2x2__wasmsimd. */
export function f32_conv2d_backprop_filter_winograd_scratch_size(cin: i32, cout: i32): i32 {
  const t = blockTiles(cin, cout);
  return (16 * t * (roundUp(cin, MR) + roundUp(cout, NR)) + 64) * 4 + 32 * 64 + 64;
}

/** Pool entry: tasks [lo, hi) of `tasks`, task t summing the 16 products of 2x2 dy tiles
 *  [t*tiles/tasks, (t+1)*tiles/tasks) into its partial (x [batch, srcH, srcW, cin], dy [batch,
 *  dstH, dstW, cout], padding padT/padL; cin and cout multiples of 4). */
export function f32_conv2d_backprop_filter_winograd_3x3_2x2__wasmsimd(
  x: usize, batch: i32, srcH: i32, srcW: i32, cin: i32, dstH: i32, dstW: i32, padT: i32, padL: i32,
  dy: usize, cout: i32, tasks: i32, partials: usize,
  scratch: usize, scratchStride: usize,
  lo: i32, hi: i32, thread: i32,
): void {
  const tb = blockTiles(cin, cout);
  const cp = roundUp(cin, MR), np = roundUp(cout, NR);
  const v = ((scratch + <usize>thread * scratchStride) + 63) & ~<usize>63;
  // ξ strides padded by a cache line: at powers of two the 16 stores of one tile hit one L1 set.
  const vs = (<usize>(tb * cp) << 2) + 64;
  const e = v + vs * 16;
  const es = (<usize>(tb * np) << 2) + 64;
  const tmp = e + es * 16;
  const ms = <usize>(cp * np) << 2;
  const tilesX = (dstW + 1) >> 1, tilesY = (dstH + 1) >> 1;
  const tiles = batch * tilesY * tilesX;
  // Channels past cin are zero rows of every strip.
  memory.fill(v, 0, vs * 16);
  for (let t = lo; t < hi; t++) {
    const end = <i32>(<i64>(t + 1) * tiles / tasks);
    let first = <i32>(<i64>t * tiles / tasks);
    const partial = partials + <usize>t * (ms * 16);
    if (first >= end) memory.fill(partial, 0, ms * 16);
    let flags: u32 = 0;
    for (; first < end; first += tb) {
      const count = min(tb, end - first);
      transformBlock(x, dy, batch, srcH, srcW, cin, dstH, dstW, padT, padL, cout, first, count, tb, v, vs, e, es, tmp);
      for (let xi = 0; xi < 16; xi++) {
        let a = v + <usize>xi * vs;
        for (let s = 0; s < cp; s += MR) {
          let b = e + <usize>xi * es;
          let c = partial + <usize>xi * ms + (<usize>(s * np) << 2);
          for (let j = 0; j < np; j += NR) {
            convUkernel(count, a, <usize>MR << 2, b, c, <usize>np << 2, 0, flags);
            b += <usize>tb << 5;
            c += <usize>NR << 2;
          }
          a += <usize>(tb * MR) << 2;
        }
      }
      flags = UK_LOAD_C;
    }
  }
}

// Transform tiles [first, first + count) of x into strips of MR channels (v, ξ stride vs: strip s
// holds tb groups of MR floats) and of dy into 8-channel panels (e, ξ stride es: panel j holds tb
// rows of 8 floats).
function transformBlock(
  x: usize, dy: usize, batch: i32, srcH: i32, srcW: i32, cin: i32, dstH: i32, dstW: i32, padT: i32, padL: i32,
  cout: i32, first: i32, count: i32, tb: i32, v: usize, vs: usize, e: usize, es: usize, tmp: usize,
): void {
  const tilesX = (dstW + 1) >> 1, tilesY = (dstH + 1) >> 1;
  let b = first / (tilesY * tilesX);
  let ty = (first - b * tilesY * tilesX) / tilesX;
  let tx = first - (b * tilesY + ty) * tilesX;
  const xPixel = <usize>cin << 2, xLine = <usize>srcW * xPixel;
  const dPixel = <usize>cout << 2, dLine = <usize>dstW * dPixel;
  for (let r = 0; r < count; r++) {
    const iy = 2 * ty - padT, ix = 2 * tx - padL;
    const image = x + <usize>(b * srcH) * xLine;
    const inside = iy >= 0 && ix >= 0 && iy + 4 <= srcH && ix + 4 <= srcW;
    for (let ch = 0; ch < cin; ch += 4) {
      let d = image + <usize>iy * xLine + <usize>ix * xPixel + (<usize>ch << 2);
      let rs = xLine, cs = xPixel;
      if (!inside) {
        winogradGatherPaddedTile(image, srcH, srcW, xLine, xPixel, iy, ix, ch, tmp);
        d = tmp; rs = 64; cs = 16;
      }
      // Channel k sits at strip k/MR, row k%MR: lanes may straddle two strips.
      winogradInputTile(d, rs, cs, v + laneOffset(ch, r, tb), vs,
        laneOffset(ch + 1, r, tb) - laneOffset(ch, r, tb), laneOffset(ch + 2, r, tb) - laneOffset(ch, r, tb),
        laneOffset(ch + 3, r, tb) - laneOffset(ch, r, tb));
    }
    const oy = 2 * ty, ox = 2 * tx;
    const at = dy + (<usize>((b * dstH + oy) * dstW + ox) * dPixel);
    for (let co = 0; co < cout; co += 4) {
      const o = e + (<usize>((co >> 3) * tb + r) << 5) + (<usize>(co & 7) << 2);
      winogradGradTile(at + (<usize>co << 2), dLine, dPixel, dstH - oy, dstW - ox, o, es);
    }
    // Channels past cout are zero columns of the last panel.
    if (cout & 4) {
      const o = e + (<usize>((cout >> 3) * tb + r) << 5) + 16;
      for (let xi = 0; xi < 16; xi++) v128.store(o + <usize>xi * es, f32x4.splat(0));
    }
    if (++tx == tilesX) { tx = 0; if (++ty == tilesY) { ty = 0; b++; } }
  }
}

// Byte offset of channel k of tile r in a strip-packed block of tb tiles.
// @ts-ignore: decorator
@inline function laneOffset(k: i32, r: i32, tb: i32): usize {
  const s = k / MR;
  return <usize>((s * tb + r) * MR + (k - s * MR)) << 2;
}

/** Pool entry: input channels [lo, hi) of dW [3, 3, cin, cout]: the sum of `tasks` partials, then
 *  the output transform. */
export function f32_conv2d_backprop_filter_winograd_reduce_3x3_2x2__wasmsimd(
  out: usize, cin: i32, cout: i32, tasks: i32, partials: usize, scratch: usize, scratchStride: usize,
  lo: i32, hi: i32, thread: i32,
): void {
  const np = roundUp(cout, NR);
  const ms = <usize>(roundUp(cin, MR) * np) << 2;
  const sum = ((scratch + <usize>thread * scratchStride) + 63) & ~<usize>63;
  const tap = <usize>(cin * cout) << 2;
  for (let k = lo; k < hi; k++) {
    for (let co = 0; co < cout; co += 4) {
      const at = <usize>(k * np + co) << 2;
      for (let xi = 0; xi < 16; xi++) {
        let p = partials + <usize>xi * ms + at;
        let acc = v128.load(p);
        for (let t = 1; t < tasks; t++) acc = f32x4.add(acc, v128.load(p + <usize>t * ms * 16));
        v128.store(sum + (<usize>xi << 4), acc);
      }
      winogradGradOutput(sum, 16, out + (<usize>(k * cout + co) << 2), tap * 3, tap);
    }
  }
}
