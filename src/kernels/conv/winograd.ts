// Runs a 3x3 stride-1 implicit-GEMM pass (forward or input gradient) as a Winograd F(2x2, 3x3)
// convolution (assembly/winograd.ts): 2.25x fewer multiplies, for a small cost in transforms.
import type { KernelContext } from '../call/context.js';
import { tensorOffset } from '../call/wasm_heap.js';
import { chunks, type IgemmPass } from './pass.js';
import { cacheLines, convSizes } from './sizes.js';

// Tiles per pool chunk: the kernel's block (8 strips of MR tiles).
const STRIPS_PER_BLOCK = 8;

/** Whether the Winograd kernel computes this pass: 3x3 filter, stride 1, channels multiples of 4. */
export function winogradApplies(p: IgemmPass): boolean {
  return p.fh === 3 && p.fw === 3 && p.strideH === 1 && p.strideW === 1 && p.upH === 1 && p.upW === 1 && p.c % 4 === 0 && p.n % 4 === 0;
}

/** Computes one pass that winogradApplies to, with every thread of the context's pool. */
export function runWinograd(ctx: KernelContext, p: IgemmPass): void {
  const sizes = convSizes(ctx.isa);
  const filterBytes = cacheLines(sizes.winogradFilter(p.c, p.n));
  const stride = cacheLines(sizes.winogradScratch(p.c, p.n));
  const base = cacheLines(ctx.scratch(64 + filterBytes + ctx.threads * stride));
  const [, , cin, cout] = p.filter.shape as [number, number, number, number];
  const { backend, pool } = ctx;
  pool.parallelFor(
    'f32_conv2d_winograd_filter_2x2_3x3__wasmsimd',
    [
      tensorOffset(backend, p.filter), // w
      cin, // cin
      cout, // cout
      p.flip ? 1 : 0, // flip
      base, // u
      base + filterBytes, // scratch
      stride, // scratchStride
    ],
    p.c,
  );
  const batch = p.m / (p.dstH * p.dstW);
  const tiles = batch * Math.ceil(p.dstH / 2) * Math.ceil(p.dstW / 2);
  const blocks = Math.ceil(tiles / (STRIPS_PER_BLOCK * sizes.mr));
  pool.parallelFor(
    'f32_conv2d_winograd_2x2_3x3__wasmsimd',
    [
      tensorOffset(backend, p.src), // src
      batch, // batch
      p.srcH, // srcH
      p.srcW, // srcW
      p.c, // c
      p.dstH, // dstH
      p.dstW, // dstW
      p.padT, // padT
      p.padL, // padL
      p.n, // n
      base, // u
      tensorOffset(backend, p.out), // out
      p.bias === undefined ? 0 : tensorOffset(backend, p.bias), // bias
      (p.bias === undefined ? 0 : 1) | (p.relu ? 2 : 0), // flags: bias, ReLU
      base + filterBytes, // scratch
      stride, // scratchStride
    ],
    blocks,
    chunks(ctx.threads),
  );
}
