// Image bytes to float32 in [0, 1], as a batch of training images needs them. The data set stays uint8
// (a quarter of float32's memory) and each batch is converted as it is made.
import { blockEnd, blockStart } from "./elementwise_range";

/**
 * f32(v) / 255 in float32 is the JavaScript reference's `v * (1 / 255)` rounded to float32 for every byte v
 * (checked for all 256 in the tests), so one correctly rounded division gives the same bits; multiplying by
 * a float32 1/255 would not (126 of the 256 bytes differ).
 */
// @ts-ignore: decorator
@inline function unit4(v: v128): v128 {
  return f32x4.div(f32x4.convert_i32x4_u(v), f32x4.splat(255));
}

/** out[i] = bytes[i] / 255 as float32, over blocks [lo, hi) of 16 elements; `bytes` need not be aligned. */
export function f32_unit_scale_u8__wasmsimd(bytes: usize, out: usize, n: i32, lo: i32, hi: i32, thread: i32): void {
  const end = blockEnd(hi, n);
  let i = blockStart(lo);
  for (; i + 16 <= end; i += 16) {
    const b = v128.load(bytes + <usize>i);
    const low = i16x8.extend_low_i8x16_u(b);
    const high = i16x8.extend_high_i8x16_u(b);
    const o = out + (<usize>i << 2);
    v128.store(o, unit4(i32x4.extend_low_i16x8_u(low)));
    v128.store(o + 16, unit4(i32x4.extend_high_i16x8_u(low)));
    v128.store(o + 32, unit4(i32x4.extend_low_i16x8_u(high)));
    v128.store(o + 48, unit4(i32x4.extend_high_i16x8_u(high)));
  }
  for (; i < end; i++) store<f32>(out + (<usize>i << 2), <f32>load<u8>(bytes + <usize>i) / <f32>255);
}
