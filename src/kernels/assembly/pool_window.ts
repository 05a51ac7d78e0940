// Where a pooling window lies in its input, clamped to the input: the rows (or columns) that output
// position o reads are [windowStart, windowEnd), possibly empty when the window is wholly in the padding.

/** First input row (or column) of output position o's window, clamped at 0. */
// @ts-ignore: decorator
@inline export function windowStart(o: i32, stride: i32, pad: i32): i32 {
  return max(o * stride - pad, 0);
}

/** One past the last input row (or column) of output position o's window of f taps, clamped at size. */
// @ts-ignore: decorator
@inline export function windowEnd(o: i32, stride: i32, pad: i32, f: i32, size: i32): i32 {
  return min(o * stride - pad + f, size);
}
