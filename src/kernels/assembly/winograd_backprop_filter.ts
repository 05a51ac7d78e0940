// Filter gradient of a 3x3 stride-1 NHWC convolution by Winograd F(3x3, 2x2) or F(3x3, 4x4): dy is
// cut into e x e tiles (e = 2 or 4), each with the a x a tile of x it saw (a = e + 2); per tile the
// transformed x (cin channels) and dy (cout) give a² outer products, and their sums over all tiles
// are a² GEMMs [cin x tiles]·[tiles x cout]: 2.25x (e = 2) or 4x (e = 4) fewer multiplies than
// patchesᵀ·dy. As in conv_backprop_filter.ts, tiles are split into tasks with a private partial
// each; the reduction adds the partials and applies the output transform.
import { GEMM_MR as MR, GEMM_NR as NR, UK_LOAD_C } from "./isa";
import { convUkernel } from "./conv_ukernel";
import { winogradGatherPaddedTile, winogradInputTile } from "./winograd_transforms";
import { winogradGradOutput, winogradGradTile } from "./winograd_grad_transforms";
import { winograd4GradOutput, winograd4GradTile, winograd4InputTile } from "./winograd_4x4_transforms";

// @ts-ignore: decorator
@inline function roundUp(x: i32, q: i32): i32 { return (x + q - 1) / q * q; }

// Tiles per block (the micro-kernel's depth). Measured at batch 128 (CPU ms, conv2/conv3/conv4 of the
// CNN, 2x2 tiles): blocks of ~40 tiles beat 128 (60/38/22 vs 95/37/22); a smaller block shortens
// every micro-kernel call. 4x4 tiles hold 2.25x the values, so their blocks are half as long.
// @ts-ignore: decorator
@inline function blockTiles(e: i32): i32 { return e == 4 ? 24 : 48; }

// Floats in a transformed tile: a² for the a x a input tile, a = e + 2.
// @ts-ignore: decorator
@inline function tileValues(e: i32): i32 { return (e + 2) * (e + 2); }

/** Bytes of one task's partial sums for cin input and cout output channels and e x e dy tiles. */
export function f32_conv2d_backprop_filter_winograd_partial_size(cin: i32, cout: i32, e: i32): i32 {
  return tileValues(e) * roundUp(cin, MR) * roundUp(cout, NR) * 4;
}

/** Bytes of private scratch per thread of f32_conv2d_backprop_filter_winograd_3x3_{e}x{e}__wasmsimd
 *  and its reduction. */
export function f32_conv2d_backprop_filter_winograd_scratch_size(cin: i32, cout: i32, e: i32): i32 {
  const xi = tileValues(e), t = blockTiles(e);
  // Transformed x and dy, each ξ padded by a cache line; 128 vectors of tmp; alignment.
  return xi * (t * roundUp(cin, MR) * 4 + 64) + xi * (t * roundUp(cout, NR) * 4 + 64) + 128 * 16 + 64;
}

/** Pool entry: tasks [lo, hi) of the F(3x3, 2x2) filter gradient; see filterGradTasks. */
export function f32_conv2d_backprop_filter_winograd_3x3_2x2__wasmsimd(
  x: usize, batch: i32, srcH: i32, srcW: i32, cin: i32, dstH: i32, dstW: i32, padT: i32, padL: i32,
  dy: usize, cout: i32, tasks: i32, partials: usize,
  scratch: usize, scratchStride: usize,
  lo: i32, hi: i32, thread: i32,
): void {
  filterGradTasks(2, x, batch, srcH, srcW, cin, dstH, dstW, padT, padL, dy, cout, tasks, partials, scratch, scratchStride, lo, hi, thread);
}

/** Pool entry: tasks [lo, hi) of the F(3x3, 4x4) filter gradient; see filterGradTasks. */
export function f32_conv2d_backprop_filter_winograd_3x3_4x4__wasmsimd(
  x: usize, batch: i32, srcH: i32, srcW: i32, cin: i32, dstH: i32, dstW: i32, padT: i32, padL: i32,
  dy: usize, cout: i32, tasks: i32, partials: usize,
  scratch: usize, scratchStride: usize,
  lo: i32, hi: i32, thread: i32,
): void {
  filterGradTasks(4, x, batch, srcH, srcW, cin, dstH, dstW, padT, padL, dy, cout, tasks, partials, scratch, scratchStride, lo, hi, thread);
}

// Tasks [lo, hi) of `tasks`, task t summing the a² products of e x e dy tiles [t*tiles/tasks,
// (t+1)*tiles/tasks) into its partial (x [batch, srcH, srcW, cin], dy [batch, dstH, dstW, cout],
// padding padT/padL; cin and cout multiples of 4).
// @ts-ignore: decorator
@inline function filterGradTasks(
  e: i32, x: usize, batch: i32, srcH: i32, srcW: i32, cin: i32, dstH: i32, dstW: i32, padT: i32, padL: i32,
  dy: usize, cout: i32, tasks: i32, partials: usize,
  scratch: usize, scratchStride: usize,
  lo: i32, hi: i32, thread: i32,
): void {
  const xi = tileValues(e), tb = blockTiles(e);
  const cp = roundUp(cin, MR), np = roundUp(cout, NR);
  const v = ((scratch + <usize>thread * scratchStride) + 63) & ~<usize>63;
  // ξ strides padded by a cache line: at powers of two the stores of one tile hit one L1 set.
  const vs = (<usize>(tb * cp) << 2) + 64;
  const g = v + vs * xi;
  const gs = (<usize>(tb * np) << 2) + 64;
  const tmp = g + gs * xi;
  const ms = <usize>(cp * np) << 2;
  const tilesX = (dstW + e - 1) / e, tilesY = (dstH + e - 1) / e;
  const tiles = batch * tilesY * tilesX;
  // Channels past cin are zero rows of every strip.
  memory.fill(v, 0, vs * xi);
  for (let t = lo; t < hi; t++) {
    const end = <i32>(<i64>(t + 1) * tiles / tasks);
    let first = <i32>(<i64>t * tiles / tasks);
    const partial = partials + <usize>t * (ms * xi);
    if (first >= end) memory.fill(partial, 0, ms * xi);
    let flags: u32 = 0;
    for (; first < end; first += tb) {
      const count = min(tb, end - first);
      transformBlock(e, x, batch, srcH, srcW, cin, dstH, dstW, padT, padL, dy, cout, first, count, tb, v, vs, g, gs, tmp);
      for (let k = 0; k < xi; k++) {
        let a = v + <usize>k * vs;
        for (let s = 0; s < cp; s += MR) {
          let b = g + <usize>k * gs;
          let c = partial + <usize>k * ms + (<usize>(s * np) << 2);
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
// holds tb groups of MR floats) and of dy into 8-channel panels (g, ξ stride gs: panel j holds tb
// rows of 8 floats).
// @ts-ignore: decorator
@inline function transformBlock(
  e: i32, x: usize, batch: i32, srcH: i32, srcW: i32, cin: i32, dstH: i32, dstW: i32, padT: i32, padL: i32,
  dy: usize, cout: i32, first: i32, count: i32, tb: i32, v: usize, vs: usize, g: usize, gs: usize, tmp: usize,
): void {
  const a = e + 2, xi = tileValues(e);
  const tilesX = (dstW + e - 1) / e, tilesY = (dstH + e - 1) / e;
  let b = first / (tilesY * tilesX);
  let ty = (first - b * tilesY * tilesX) / tilesX;
  let tx = first - (b * tilesY + ty) * tilesX;
  const xPixel = <usize>cin << 2, xLine = <usize>srcW * xPixel;
  const dPixel = <usize>cout << 2, dLine = <usize>dstW * dPixel;
  // tmp: 36 vectors for the 4x4 transforms, then a padded x tile of up to 36.
  const padded = tmp + 36 * 16;
  for (let r = 0; r < count; r++) {
    const iy = e * ty - padT, ix = e * tx - padL;
    const image = x + <usize>(b * srcH) * xLine;
    const inside = iy >= 0 && ix >= 0 && iy + a <= srcH && ix + a <= srcW;
    for (let ch = 0; ch < cin; ch += 4) {
      let d = image + <usize>iy * xLine + <usize>ix * xPixel + (<usize>ch << 2);
      let rs = xLine, cs = xPixel;
      if (!inside) {
        winogradGatherPaddedTile(image, srcH, srcW, xLine, xPixel, iy, ix, ch, padded, a);
        d = padded; rs = <usize>a << 4; cs = 16;
      }
      // Channel k sits at strip k/MR, row k%MR: lanes may straddle two strips.
      const at = v + laneOffset(ch, r, tb);
      const l1 = laneOffset(ch + 1, r, tb) - laneOffset(ch, r, tb);
      const l2 = laneOffset(ch + 2, r, tb) - laneOffset(ch, r, tb);
      const l3 = laneOffset(ch + 3, r, tb) - laneOffset(ch, r, tb);
      if (e == 4) winograd4InputTile(d, rs, cs, at, vs, l1, l2, l3, tmp);
      else winogradInputTile(d, rs, cs, at, vs, l1, l2, l3);
    }
    const oy = e * ty, ox = e * tx;
    const at = dy + (<usize>((b * dstH + oy) * dstW + ox) * dPixel);
    for (let co = 0; co < cout; co += 4) {
      const o = g + (<usize>((co >> 3) * tb + r) << 5) + (<usize>(co & 7) << 2);
      if (e == 4) winograd4GradTile(at + (<usize>co << 2), dLine, dPixel, dstH - oy, dstW - ox, o, gs);
      else winogradGradTile(at + (<usize>co << 2), dLine, dPixel, dstH - oy, dstW - ox, o, gs);
    }
    // Channels past cout are zero columns of the last panel.
    if (cout & 4) {
      const o = g + (<usize>((cout >> 3) * tb + r) << 5) + 16;
      for (let k = 0; k < xi; k++) v128.store(o + <usize>k * gs, f32x4.splat(0));
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

/** Pool entry: input channels [lo, hi) of dW [3, 3, cin, cout] from F(3x3, 2x2) partials; see filterGradReduce. */
export function f32_conv2d_backprop_filter_winograd_reduce_3x3_2x2__wasmsimd(
  out: usize, cin: i32, cout: i32, tasks: i32, partials: usize, scratch: usize, scratchStride: usize,
  lo: i32, hi: i32, thread: i32,
): void {
  filterGradReduce(2, out, cin, cout, tasks, partials, scratch, scratchStride, lo, hi, thread);
}

/** Pool entry: input channels [lo, hi) of dW [3, 3, cin, cout] from F(3x3, 4x4) partials; see filterGradReduce. */
export function f32_conv2d_backprop_filter_winograd_reduce_3x3_4x4__wasmsimd(
  out: usize, cin: i32, cout: i32, tasks: i32, partials: usize, scratch: usize, scratchStride: usize,
  lo: i32, hi: i32, thread: i32,
): void {
  filterGradReduce(4, out, cin, cout, tasks, partials, scratch, scratchStride, lo, hi, thread);
}

// Input channels [lo, hi) of dW: the sum of `tasks` partials, then the output transform.
// @ts-ignore: decorator
@inline function filterGradReduce(
  e: i32, out: usize, cin: i32, cout: i32, tasks: i32, partials: usize, scratch: usize, scratchStride: usize,
  lo: i32, hi: i32, thread: i32,
): void {
  const xi = tileValues(e);
  const np = roundUp(cout, NR);
  const ms = <usize>(roundUp(cin, MR) * np) << 2;
  const sum = ((scratch + <usize>thread * scratchStride) + 63) & ~<usize>63;
  const tmp = sum + 36 * 16;
  const tap = <usize>(cin * cout) << 2;
  for (let k = lo; k < hi; k++) {
    for (let co = 0; co < cout; co += 4) {
      const at = <usize>(k * np + co) << 2;
      for (let x = 0; x < xi; x++) {
        let p = partials + <usize>x * ms + at;
        let acc = v128.load(p);
        for (let t = 1; t < tasks; t++) acc = f32x4.add(acc, v128.load(p + <usize>t * ms * xi));
        v128.store(sum + (<usize>x << 4), acc);
      }
      const o = out + (<usize>(k * cout + co) << 2);
      if (e == 4) winograd4GradOutput(sum, 16, o, tap * 3, tap, tmp);
      else winogradGradOutput(sum, 16, o, tap * 3, tap);
    }
  }
}
