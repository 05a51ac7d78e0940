// 2-D max pooling over NHWC tensors and its gradient, four channels per SIMD vector.
// Semantics follow tfjs's CPU backend: the max of the in-bounds taps, NaN ignored (a tap wins only
// if it is strictly greater), -Infinity for a window with no tap; the gradient goes to the first
// tap (row-major) holding the max, and nowhere when no tap beat -Infinity.
import { windowEnd, windowStart } from "./pool_window";

/** Pool entry: output rows [lo, hi) of the [batch * outH] rows of out = maxpool(x). */
export function f32_maxpool2d_nhwc__wasmsimd(
  x: usize, inH: i32, inW: i32, c: i32, outH: i32, outW: i32, fh: i32, fw: i32,
  strideH: i32, strideW: i32, padT: i32, padL: i32, out: usize,
  lo: i32, hi: i32, thread: i32,
): void {
  const pixelBytes = <usize>c << 2;
  const ninf = f32x4.splat(-Infinity);
  for (let row = lo; row < hi; row++) {
    const b = row / outH;
    const oy = row - b * outH;
    const y0 = windowStart(oy, strideH, padT), y1 = windowEnd(oy, strideH, padT, fh, inH);
    const image = x + (<usize>(b * inH) * inW) * pixelBytes;
    let o = out + <usize>row * outW * pixelBytes;
    for (let ox = 0; ox < outW; ox++) {
      const x0 = windowStart(ox, strideW, padL), x1 = windowEnd(ox, strideW, padL, fw, inW);
      if (y1 - y0 == 2 && x1 - x0 == 2 && (c & 3) == 0) {
        max2x2(image + (<usize>(y0 * inW + x0)) * pixelBytes, o, pixelBytes, <usize>inW * pixelBytes);
        o += pixelBytes;
        continue;
      }
      let ch = 0;
      for (; ch + 4 <= c; ch += 4) {
        const at = <usize>ch << 2;
        let acc = ninf;
        for (let iy = y0; iy < y1; iy++) {
          let p = image + (<usize>(iy * inW + x0)) * pixelBytes + at;
          for (let ix = x0; ix < x1; ix++) {
            acc = f32x4.pmax(acc, v128.load(p));
            p += pixelBytes;
          }
        }
        v128.store(o + at, acc);
      }
      for (; ch < c; ch++) {
        const at = <usize>ch << 2;
        let acc: f32 = -Infinity;
        for (let iy = y0; iy < y1; iy++) {
          for (let ix = x0; ix < x1; ix++) {
            const v = load<f32>(image + (<usize>(iy * inW + ix)) * pixelBytes + at);
            if (v > acc) acc = v;
          }
        }
        store<f32>(o + at, acc);
      }
      o += pixelBytes;
    }
  }
}

// A whole 2x2 window (Keras's default pool), c a multiple of 4: the general loop's taps unrolled, with
// no per-tap bounds or address arithmetic. Same pmax chain in the same row-major order, so the same
// bits, NaN handling included.
// @ts-ignore: decorator
@inline function max2x2(p: usize, o: usize, pixelBytes: usize, lineBytes: usize): void {
  const ninf = f32x4.splat(-Infinity);
  for (let at: usize = 0; at < pixelBytes; at += 16) {
    const top = p + at, bottom = top + lineBytes;
    let acc = f32x4.pmax(ninf, v128.load(top));
    acc = f32x4.pmax(acc, v128.load(top + pixelBytes));
    acc = f32x4.pmax(acc, v128.load(bottom));
    acc = f32x4.pmax(acc, v128.load(bottom + pixelBytes));
    v128.store(o + at, acc);
  }
}

/** Pool entry: dx = the gradient of maxpool(x) for dy, over units [lo, hi). A unit is one output
 *  row when windows do not overlap vertically (strideH >= fh), else one whole image, so that each
 *  unit owns the dx rows its windows touch: it zeroes them and adds dy at each window's argmax.
 *  With `relu` set, x is a ReLU's output and each owned row is then multiplied by step(x), as
 *  f32_relu_grad would do to the finished dx: the gradient of maxpool(relu(z)) with respect to z,
 *  while the rows are still in cache. */
export function f32_maxpool2d_grad_nhwc__wasmsimd(
  dy: usize, x: usize, inH: i32, inW: i32, c: i32, outH: i32, outW: i32, fh: i32, fw: i32,
  strideH: i32, strideW: i32, padT: i32, padL: i32, dx: usize, relu: i32,
  lo: i32, hi: i32, thread: i32,
): void {
  const perImage = strideH < fh;
  // Without overlap every tap belongs to one window: stores replace read-add-writes.
  const overlap = perImage || strideW < fw;
  // Windows that tile the input exactly store every dx element once: nothing to zero first.
  const exact = strideH == fh && strideW == fw && padT == 0 && padL == 0 && outH * fh == inH && outW * fw == inW;
  const pixelBytes = <usize>c << 2;
  const lineBytes = <usize>inW * pixelBytes;
  for (let unit = lo; unit < hi; unit++) {
    const b = perImage ? unit : unit / outH;
    const oyFirst = perImage ? 0 : unit - b * outH;
    const oyEnd = perImage ? outH : oyFirst + 1;
    // dx rows owned: from the unit's first window row (0 for the image's first unit) up to the next
    // unit's first window row (inH for the image's last unit).
    const r0 = oyFirst == 0 ? 0 : min(windowStart(oyFirst, strideH, padT), inH);
    const r1 = oyEnd == outH ? inH : min(windowStart(oyEnd, strideH, padT), inH);
    const xImage = x + <usize>(b * inH) * lineBytes;
    const dxImage = dx + <usize>(b * inH) * lineBytes;
    if (r1 > r0 && !exact) memory.fill(dxImage + <usize>r0 * lineBytes, 0, <usize>(r1 - r0) * lineBytes);
    for (let oy = oyFirst; oy < oyEnd; oy++) {
      const y0 = windowStart(oy, strideH, padT), y1 = windowEnd(oy, strideH, padT, fh, inH);
      let d = dy + (<usize>(b * outH + oy) * outW) * pixelBytes;
      for (let ox = 0; ox < outW; ox++) {
        const x0 = windowStart(ox, strideW, padL), x1 = windowEnd(ox, strideW, padL, fw, inW);
        if (!overlap && y1 - y0 == 2 && x1 - x0 == 2 && (c & 3) == 0) {
          const tap = <usize>(y0 * inW + x0) * pixelBytes;
          route2x2(xImage + tap, dxImage + tap, d, pixelBytes, lineBytes);
        } else {
          routeWindow(xImage, dxImage, d, c, inW, y0, y1, x0, x1, overlap);
        }
        d += pixelBytes;
      }
    }
    if (relu != 0 && r1 > r0) {
      reluMask(xImage + <usize>r0 * lineBytes, dxImage + <usize>r0 * lineBytes, (r1 - r0) * inW * c);
    }
  }
}

/** dx[i] = dx[i] * step(x[i]) for n floats, with f32_relu_grad's arithmetic (NaN in x gives NaN). */
function reluMask(x: usize, dx: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const v = v128.load(x + o);
    const step = v128.bitselect(v, v128.bitselect(f32x4.splat(1), f32x4.splat(0), f32x4.gt(v, f32x4.splat(0))), f32x4.ne(v, v));
    v128.store(dx + o, f32x4.mul(v128.load(dx + o), step));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const v = load<f32>(x + o);
    store<f32>(dx + o, load<f32>(dx + o) * (v != v ? v : v > 0 ? <f32>1 : <f32>0));
  }
}

// Add dy (c floats at d) to dx at the first argmax of x over rows [y0, y1) x columns [x0, x1); when
// no other window overlaps this one, store dy or 0 to each tap instead, in every channel: the caller
// skips zeroing dx when the windows tile it exactly. Branch-free per tap: which tap holds the max is
// random, and a branch on it mispredicts half the time.
function routeWindow(x: usize, dx: usize, d: usize, c: i32, inW: i32, y0: i32, y1: i32, x0: i32, x1: i32, overlap: bool): void {
  const pixelBytes = <usize>c << 2;
  let ch = 0;
  for (; ch + 4 <= c; ch += 4) {
    const at = <usize>ch << 2;
    let best = f32x4.splat(-Infinity);
    let arg = i32x4.splat(-1);
    for (let iy = y0; iy < y1; iy++) {
      for (let ix = x0; ix < x1; ix++) {
        const v = v128.load(x + <usize>(iy * inW + ix) * pixelBytes + at);
        const win = f32x4.gt(v, best);
        best = v128.bitselect(v, best, win);
        arg = v128.bitselect(i32x4.splat(iy * inW + ix), arg, win);
      }
    }
    const g = v128.load(d + at);
    for (let iy = y0; iy < y1; iy++) {
      for (let ix = x0; ix < x1; ix++) {
        const pos = iy * inW + ix;
        const routed = v128.and(g, i32x4.eq(arg, i32x4.splat(pos)));
        const p = dx + <usize>pos * pixelBytes + at;
        v128.store(p, overlap ? f32x4.add(v128.load(p), routed) : routed);
      }
    }
  }
  for (; ch < c; ch++) {
    const at = <usize>ch << 2;
    let best: f32 = -Infinity;
    let arg = -1;
    for (let iy = y0; iy < y1; iy++) {
      for (let ix = x0; ix < x1; ix++) {
        const v = load<f32>(x + <usize>(iy * inW + ix) * pixelBytes + at);
        if (v > best) { best = v; arg = iy * inW + ix; }
      }
    }
    const g = load<f32>(d + at);
    if (overlap) {
      if (arg >= 0) {
        const p = dx + <usize>arg * pixelBytes + at;
        store<f32>(p, load<f32>(p) + g);
      }
      continue;
    }
    // As in the SIMD path: every tap is stored, since exactly tiled windows skip the zeroing.
    for (let iy = y0; iy < y1; iy++) {
      for (let ix = x0; ix < x1; ix++) {
        const pos = iy * inW + ix;
        store<f32>(dx + <usize>pos * pixelBytes + at, pos == arg ? g : 0);
      }
    }
  }
}

// routeWindow for a whole 2x2 window that no other window overlaps, c a multiple of 4: the taps
// unrolled. A tap takes dy when it beat the best so far (strictly, so NaN never wins) and no later tap
// did, which is routeWindow's "last winner" argmax; every tap is stored, as there.
// @ts-ignore: decorator
@inline function route2x2(x: usize, dx: usize, d: usize, pixelBytes: usize, lineBytes: usize): void {
  for (let at: usize = 0; at < pixelBytes; at += 16) {
    const top = x + at, bottom = top + lineBytes;
    const v00 = v128.load(top), v01 = v128.load(top + pixelBytes);
    const v10 = v128.load(bottom), v11 = v128.load(bottom + pixelBytes);
    let best = f32x4.splat(-Infinity);
    const w00 = f32x4.gt(v00, best);
    best = v128.bitselect(v00, best, w00);
    const w01 = f32x4.gt(v01, best);
    best = v128.bitselect(v01, best, w01);
    const w10 = f32x4.gt(v10, best);
    best = v128.bitselect(v10, best, w10);
    const w11 = f32x4.gt(v11, best);
    const later10 = w11, later01 = v128.or(w10, w11), later00 = v128.or(w01, later01);
    const g = v128.load(d + at);
    const out = dx + at, outBottom = out + lineBytes;
    v128.store(out, v128.and(g, v128.andnot(w00, later00)));
    v128.store(out + pixelBytes, v128.and(g, v128.andnot(w01, later01)));
    v128.store(outBottom, v128.and(g, v128.andnot(w10, later10)));
    v128.store(outBottom + pixelBytes, v128.and(g, w11));
  }
}
