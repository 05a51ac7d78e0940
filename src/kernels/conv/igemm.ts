// Runs an implicit-GEMM convolution pass (forward, or input gradient) on tfjs tensors in place, with
// the kernel that suits its shape: Winograd for 3x3 stride 1 (winograd.ts), a dot product per
// pixel for one output channel, direct broadcasts for one input channel, else the implicit GEMM
// (assembly/conv_igemm.ts): one pool call packs the filter into shared scratch, a second computes
// output pixel strips in parallel.
import type { KernelContext } from '../call/context.js';
import { chunks, type IgemmPass } from './pass.js';
import { cacheLines, convSizes } from './sizes.js';
import { tensorOffset } from '../call/wasm_heap.js';
import { runWinograd, winogradApplies } from './winograd.js';

/** Computes one implicit-GEMM pass with every thread of the context's pool. */
export function runIgemm(ctx: KernelContext, p: IgemmPass): void {
  if (p.n === 1) return runDotPass(ctx, p);
  if (winogradApplies(p)) return runWinograd(ctx, p);
  if (p.c === 1 && !p.flip && p.n % 4 === 0) return runSingleChannelPass(ctx, p);
  const { mr, igemmScratch } = convSizes(ctx.isa);
  const k = p.fh * p.fw * p.c;
  const panels = Math.ceil(p.n / 8);
  const packed = cacheLines(panels * k * 32);
  const stride = cacheLines(igemmScratch(k));
  // Scratch first: it may grow the heap (offsets stay valid, views would not).
  const base = cacheLines(ctx.scratch(64 + packed + ctx.threads * stride));
  const [fh, fw, cin, cout] = p.filter.shape as [number, number, number, number];
  const { backend } = ctx;
  ctx.pool.parallelFor('f32_conv2d_pack_filter_nr8__wasmsimd', [
    tensorOffset(backend, p.filter), // w
    fh * fw, cin, cout, // taps, cin, cout
    p.flip ? 1 : 0, // flip
    base, // dst
  ], panels);
  const strips = Math.ceil(p.m / mr);
  ctx.pool.parallelFor('f32_conv2d_igemm__wasmsimd', [
    ...sourceArgs(ctx, p), // src .. upW
    p.m, p.n, base, tensorOffset(backend, p.out), // m, n, bpack, out
    p.bias === undefined ? 0 : tensorOffset(backend, p.bias), // bias
    flagsOf(p), // flags
    base + packed, stride, // scratch, scratchStride
  ], strips, chunks(ctx.threads));
}

// One output channel: a dot product per output pixel.
function runDotPass(ctx: KernelContext, p: IgemmPass): void {
  const stride = cacheLines(convSizes(ctx.isa).n1Scratch(p.fh * p.fw * p.c));
  const base = cacheLines(ctx.scratch(64 + ctx.threads * stride));
  ctx.pool.parallelFor('f32_conv2d_n1_direct__wasmsimd', [
    ...sourceArgs(ctx, p), // src .. upW
    tensorOffset(ctx.backend, p.filter), p.flip ? 1 : 0, tensorOffset(ctx.backend, p.out), // w, flip, out
    p.bias === undefined ? 0 : tensorOffset(ctx.backend, p.bias), flagsOf(p), // bias, flags
    base, stride, // scratch, scratchStride
  ], p.m, chunks(ctx.threads));
}

// One input channel (a forward pass on a grey image): taps broadcast straight from the image.
function runSingleChannelPass(ctx: KernelContext, p: IgemmPass): void {
  const stride = cacheLines(convSizes(ctx.isa).c1Scratch(p.fh * p.fw));
  const base = cacheLines(ctx.scratch(64 + ctx.threads * stride));
  ctx.pool.parallelFor('f32_conv2d_c1_direct__wasmsimd', [
    tensorOffset(ctx.backend, p.src), p.srcH, p.srcW, p.dstH, p.dstW, // x, srcH, srcW, dstH, dstW
    p.fh, p.fw, p.strideH, p.strideW, p.padT, p.padL, // fh, fw, strideH, strideW, padT, padL
    tensorOffset(ctx.backend, p.filter), p.n, tensorOffset(ctx.backend, p.out), // w, n, out
    p.bias === undefined ? 0 : tensorOffset(ctx.backend, p.bias), flagsOf(p), // bias, flags
    base, stride, // scratch, scratchStride
  ], p.m, chunks(ctx.threads));
}

// The geometry arguments every implicit-GEMM kernel starts with.
function sourceArgs(ctx: KernelContext, p: IgemmPass): number[] {
  return [
    tensorOffset(ctx.backend, p.src), p.srcH, p.srcW, p.c, // src, srcH, srcW, c
    p.dstH, p.dstW, p.fh, p.fw, // dstH, dstW, fh, fw
    p.strideH, p.strideW, p.padT, p.padL, p.upH, p.upW, // strideH, strideW, padT, padL, upH, upW
  ];
}

// CONV_BIAS | CONV_RELU, the same bits in every kernel that takes them.
function flagsOf(p: IgemmPass): number {
  return (p.bias === undefined ? 0 : 1) | (p.relu ? 2 : 0);
}
