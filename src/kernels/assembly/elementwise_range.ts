// How elementwise kernels cut their work: KernelPool.parallelFor hands a kernel a range of blocks of
// ELEMENTWISE_BLOCK floats, so every chunk starts 64 bytes past the previous one and whole vectors stay
// whole; only the tensor's last block may be short.

/** Floats per block of an elementwise kernel's parallel range. */
export const ELEMENTWISE_BLOCK: i32 = 16;

/** First element of blocks [lo, hi). */
// @ts-ignore: decorator
@inline export function blockStart(lo: i32): i32 {
  return lo * ELEMENTWISE_BLOCK;
}

/** One past the last element of blocks [lo, hi) of an n-element tensor. */
// @ts-ignore: decorator
@inline export function blockEnd(hi: i32, n: i32): i32 {
  return min(hi * ELEMENTWISE_BLOCK, n);
}
