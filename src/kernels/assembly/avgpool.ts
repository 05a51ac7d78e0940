// 2-D average pooling over NHWC tensors and its gradient, bit for bit as tfjs's CPU backend computes them:
// each output is a float64 sum of the float32 inputs in the CPU's order (window rows, then columns, from
// +0), one float64 division or multiplication, and one rounding to float32. Summing in f32 instead rounds up
// to once per tap and differs in the last bit. Four channels per step, as two f64x2 accumulators.
import { demote4, nextVector, promoteHigh, promoteLow } from "./f64_lanes";
import { windowEnd, windowStart } from "./pool_window";

/**
 * Pool entry: output rows [lo, hi) of the [batch * outH] rows of out = avgpool(x). A window is clamped to
 * the input and divided by its in-bounds tap count, so a window wholly in the padding gives 0/0 = NaN.
 */
export function f32_avgpool2d_nhwc__wasmsimd(
  x: usize, inH: i32, inW: i32, c: i32, outH: i32, outW: i32, fh: i32, fw: i32,
  strideH: i32, strideW: i32, padT: i32, padL: i32, out: usize,
  lo: i32, hi: i32, thread: i32,
): void {
  const pixelBytes = <usize>c << 2;
  for (let row = lo; row < hi; row++) {
    const b = row / outH;
    const oy = row - b * outH;
    const y0 = windowStart(oy, strideH, padT), y1 = windowEnd(oy, strideH, padT, fh, inH);
    const image = x + (<usize>(b * inH) * inW) * pixelBytes;
    let o = out + <usize>row * outW * pixelBytes;
    for (let ox = 0; ox < outW; ox++) {
      const x0 = windowStart(ox, strideW, padL), x1 = windowEnd(ox, strideW, padL, fw, inW);
      const count = <f64>(max(y1 - y0, 0) * max(x1 - x0, 0));
      if (c >= 4) {
        const vcount = f64x2.splat(count);
        for (let ch = 0; ch < c; ch = nextVector(ch, c)) {
          const at = <usize>ch << 2;
          let accLo = f64x2.splat(0), accHi = f64x2.splat(0);
          for (let iy = y0; iy < y1; iy++) {
            let p = image + (<usize>(iy * inW + x0)) * pixelBytes + at;
            for (let ix = x0; ix < x1; ix++) {
              const v = v128.load(p);
              accLo = f64x2.add(accLo, promoteLow(v));
              accHi = f64x2.add(accHi, promoteHigh(v));
              p += pixelBytes;
            }
          }
          v128.store(o + at, demote4(f64x2.div(accLo, vcount), f64x2.div(accHi, vcount)));
        }
      } else {
        for (let ch = 0; ch < c; ch++) {
          const at = <usize>ch << 2;
          let acc: f64 = 0;
          for (let iy = y0; iy < y1; iy++) {
            for (let ix = x0; ix < x1; ix++) acc += <f64>load<f32>(image + (<usize>(iy * inW + ix)) * pixelBytes + at);
          }
          store<f32>(o + at, <f32>(acc / count));
        }
      }
      o += pixelBytes;
    }
  }
}

/**
 * Pool entry: dx rows [lo, hi) of the [batch * inH] rows of the gradient of avgpool for dy. A gather: each
 * dx element sums the dy of the windows covering it (window rows ascending, then columns, from +0) and
 * multiplies by `mult`, which is 1 / (fh * fw) as tfjs's CPU backend uses for every window, padded or not.
 * Every element is written exactly once, so dx needs no zeroing and any split of rows is race-free.
 */
export function f32_avgpool2d_grad_nhwc__wasmsimd(
  dy: usize, inH: i32, inW: i32, c: i32, outH: i32, outW: i32, fh: i32, fw: i32,
  strideH: i32, strideW: i32, padT: i32, padL: i32, mult: f64, dx: usize,
  lo: i32, hi: i32, thread: i32,
): void {
  const pixelBytes = <usize>c << 2;
  const vmult = f64x2.splat(mult);
  for (let row = lo; row < hi; row++) {
    const b = row / inH;
    const iy = row - b * inH;
    const oy0 = firstWindow(iy + padT, fh, strideH), oy1 = min((iy + padT) / strideH + 1, outH);
    const dyImage = dy + (<usize>(b * outH) * outW) * pixelBytes;
    let o = dx + <usize>row * inW * pixelBytes;
    for (let ix = 0; ix < inW; ix++) {
      const ox0 = firstWindow(ix + padL, fw, strideW), ox1 = min((ix + padL) / strideW + 1, outW);
      if (c >= 4) {
        for (let ch = 0; ch < c; ch = nextVector(ch, c)) {
          const at = <usize>ch << 2;
          let accLo = f64x2.splat(0), accHi = f64x2.splat(0);
          for (let oy = oy0; oy < oy1; oy++) {
            let p = dyImage + (<usize>(oy * outW + ox0)) * pixelBytes + at;
            for (let ox = ox0; ox < ox1; ox++) {
              const v = v128.load(p);
              accLo = f64x2.add(accLo, promoteLow(v));
              accHi = f64x2.add(accHi, promoteHigh(v));
              p += pixelBytes;
            }
          }
          v128.store(o + at, demote4(f64x2.mul(accLo, vmult), f64x2.mul(accHi, vmult)));
        }
      } else {
        for (let ch = 0; ch < c; ch++) {
          const at = <usize>ch << 2;
          let acc: f64 = 0;
          for (let oy = oy0; oy < oy1; oy++) {
            for (let ox = ox0; ox < ox1; ox++) acc += <f64>load<f32>(dyImage + (<usize>(oy * outW + ox)) * pixelBytes + at);
          }
          store<f32>(o + at, <f32>(acc * mult));
        }
      }
      o += pixelBytes;
    }
  }
}

// The first window (of stride s and size f) covering padded position p >= 0: ceil((p - f + 1) / s), at least 0.
// @ts-ignore: decorator
@inline function firstWindow(p: i32, f: i32, s: i32): i32 {
  const a = p - f + 1;
  return a <= 0 ? 0 : (a + s - 1) / s;
}

