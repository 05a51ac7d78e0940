// Runs an implicit-GEMM convolution pass (forward, or input gradient) on tfjs tensors in place, with
// the kernel that suits its shape: Winograd for 3x3 stride 1 (winograd.ts), a dot product per
// pixel for one output channel, direct broadcasts for one input channel, else the implicit GEMM
// (assembly/conv_igemm.ts): one pool call packs the filter into shared scratch, a second computes
// output pixel strips in parallel.
import type { KernelContext } from '../call/context.js';
import { tensorOffset } from '../call/wasm_heap.js';
import { chunks, type IgemmPass } from './pass.js';
import { cacheLines, convSizes } from './sizes.js';
import { runWinograd, winogradApplies } from './winograd.js';

/** Computes one implicit-GEMM pass with every thread of the context's pool. */
export function runIgemm(ctx: KernelContext, p: IgemmPass): void {
  if (p.n === 1) {
    runDotPass(ctx, p);
    return;
  }
  if (winogradApplies(p)) {
    runWinograd(ctx, p);
    return;
  }
  if (p.c === 1 && !p.flip) {
    runSingleChannelPass(ctx, p);
    return;
  }
  const { mr, igemmScratch } = convSizes(ctx.isa);
  const k = p.fh * p.fw * p.c;
  const panels = Math.ceil(p.n / 8);
  const packed = cacheLines(panels * k * 32);
  const stride = cacheLines(igemmScratch(k));
  // Scratch first: it may grow the heap (offsets stay valid, views would not).
  const base = cacheLines(ctx.scratch(64 + packed + ctx.threads * stride));
  const [fh, fw, cin, cout] = p.filter.shape as [number, number, number, number];
  const { backend } = ctx;
  ctx.pool.parallelFor(
    'f32_conv2d_pack_filter_nr8__wasmsimd',
    [
      tensorOffset(backend, p.filter), // w
      fh * fw, // taps
      cin, // cin
      cout, // cout
      p.flip ? 1 : 0, // flip
      base, // dst
    ],
    panels,
  );
  const strips = Math.ceil(p.m / mr);
  ctx.pool.parallelFor(
    'f32_conv2d_igemm__wasmsimd',
    [
      ...sourceArgs(ctx, p), // src .. upW
      p.m, // m
      p.n, // n
      base, // bpack
      tensorOffset(backend, p.out), // out
      p.bias === undefined ? 0 : tensorOffset(backend, p.bias), // bias
      flagsOf(p), // flags
      base + packed, // scratch
      stride, // scratchStride
    ],
    strips,
    chunks(ctx.threads),
  );
}

// One output channel: a dot product per output pixel.
function runDotPass(ctx: KernelContext, p: IgemmPass): void {
  const stride = cacheLines(convSizes(ctx.isa).n1Scratch(p.fh * p.fw * p.c));
  const base = cacheLines(ctx.scratch(64 + ctx.threads * stride));
  ctx.pool.parallelFor(
    'f32_conv2d_n1_direct__wasmsimd',
    [
      ...sourceArgs(ctx, p), // src .. upW
      tensorOffset(ctx.backend, p.filter), // w
      p.flip ? 1 : 0, // flip
      tensorOffset(ctx.backend, p.out), // out
      p.bias === undefined ? 0 : tensorOffset(ctx.backend, p.bias), // bias
      flagsOf(p), // flags
      base, // scratch
      stride, // scratchStride
    ],
    p.m,
    chunks(ctx.threads),
  );
}

// One input channel (a forward pass on a grey image): taps broadcast straight from the image.
function runSingleChannelPass(ctx: KernelContext, p: IgemmPass): void {
  const stride = cacheLines(convSizes(ctx.isa).c1Scratch(p.fh * p.fw, p.n));
  const base = cacheLines(ctx.scratch(64 + ctx.threads * stride));
  ctx.pool.parallelFor(
    'f32_conv2d_c1_direct__wasmsimd',
    [
      tensorOffset(ctx.backend, p.src), // x
      p.srcH, // srcH
      p.srcW, // srcW
      p.dstH, // dstH
      p.dstW, // dstW
      p.fh, // fh
      p.fw, // fw
      p.strideH, // strideH
      p.strideW, // strideW
      p.padT, // padT
      p.padL, // padL
      tensorOffset(ctx.backend, p.filter), // w
      p.n, // n
      tensorOffset(ctx.backend, p.out), // out
      p.bias === undefined ? 0 : tensorOffset(ctx.backend, p.bias), // bias
      flagsOf(p), // flags
      base, // scratch
      stride, // scratchStride
    ],
    p.m,
    chunks(ctx.threads),
  );
}

// The geometry arguments every implicit-GEMM kernel starts with.
function sourceArgs(ctx: KernelContext, p: IgemmPass): number[] {
  return [
    tensorOffset(ctx.backend, p.src), // src
    p.srcH, // srcH
    p.srcW, // srcW
    p.c, // c
    p.dstH, // dstH
    p.dstW, // dstW
    p.fh, // fh
    p.fw, // fw
    p.strideH, // strideH
    p.strideW, // strideW
    p.padT, // padT
    p.padL, // padL
    p.upH, // upH
    p.upW, // upW
  ];
}

// CONV_BIAS | CONV_RELU, the same bits in every kernel that takes them.
function flagsOf(p: IgemmPass): number {
  return (p.bias === undefined ? 0 : 1) | (p.relu ? 2 : 0);
}
