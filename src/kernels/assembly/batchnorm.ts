// Batch normalization's forward pass over NHWC tensors, bit for bit as tfjs's CPU backend computes it: per
// element off + ((x - m) * s) / d in float64, with d = sqrt(v + epsilon) per channel, rounded once to float32.
// The float32 form x * a + b with a = s / d rounds several times and differs from it in the last bits.
import { demote4, nextVector, promoteHigh, promoteLow } from "./f64_lanes";

/**
 * Pool entry: pixels [lo, hi) of out = batchnorm(x), x and out with c channels per pixel. `params` holds
 * four float64 arrays of c: the mean, the scale, the divisor d and the offset of each channel.
 */
export function f32_batchnorm_nhwc__wasmsimd(x: usize, params: usize, c: i32, out: usize, lo: i32, hi: i32, thread: i32): void {
  const m = params, s = params + (<usize>c << 3), d = params + (<usize>c << 4), o = params + (<usize>c << 3) * 3;
  const pixelBytes = <usize>c << 2;
  let px = x + <usize>lo * pixelBytes;
  let po = out + <usize>lo * pixelBytes;
  for (let pixel = lo; pixel < hi; pixel++) {
    if (c >= 4) {
      for (let ch = 0; ch < c; ch = nextVector(ch, c)) {
        const v = v128.load(px + (<usize>ch << 2));
        const at = <usize>ch << 3;
        v128.store(po + (<usize>ch << 2), demote4(normalize(promoteLow(v), m + at, s + at, d + at, o + at), normalize(promoteHigh(v), m + at + 16, s + at + 16, d + at + 16, o + at + 16)));
      }
    } else {
      for (let ch = 0; ch < c; ch++) {
        const at = <usize>ch << 3;
        const t = ((<f64>load<f32>(px + (<usize>ch << 2)) - load<f64>(m + at)) * load<f64>(s + at)) / load<f64>(d + at);
        store<f32>(po + (<usize>ch << 2), <f32>(load<f64>(o + at) + t));
      }
    }
    px += pixelBytes;
    po += pixelBytes;
  }
}

// off + ((x - m) * s) / d for two channels, the CPU's operations in its order.
// @ts-ignore: decorator
@inline function normalize(x: v128, m: usize, s: usize, d: usize, o: usize): v128 {
  return f64x2.add(v128.load(o), f64x2.div(f64x2.mul(f64x2.sub(x, v128.load(m)), v128.load(s)), v128.load(d)));
}
