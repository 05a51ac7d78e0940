// Runs a 3x3 stride-1 implicit-GEMM pass (forward or input gradient) as a Winograd convolution
// (assembly/winograd.ts), F(2x2, 3x3) or F(4x4, 3x3): 2.25x or 4x fewer multiplies than a direct
// convolution, for a cost in transforms.
import type { KernelContext } from '../call/context.js';
import { tensorOffset } from '../call/wasm_heap.js';
import { chunks, type IgemmPass } from './pass.js';
import { cacheLines, convSizes, type WinogradTile } from './sizes.js';

// Tiles per pool chunk: the kernel's block (strips of MR tiles), as assembly/winograd.ts sets it.
const STRIPS_PER_BLOCK: Record<WinogradTile, number> = { 2: 8, 4: 4 };

/**
 * Which output tile runs this pass: the one with fewer transformed values, a² per tile of e x e
 * outputs (16 per 2x2 tile, 36 per 4x4); ties go to 2x2, whose transforms are cheaper per value.
 * 4x4 tiles multiply 1.78x less, but pay for the rows and columns of a ragged last tile in full, so
 * outputs of one or two rows or about 5x5 run in 2x2 tiles. On the CNN's layers (batch 128, ms on
 * 1 thread, 2x2 against 4x4 tiles): conv2 forward 42.5 against 30.6, input gradient 52.5 against
 * 40.5; conv3 29.6 against 22.5 and 39.7 against 36.1; conv4 (10x10, 44 % of its 4x4 tiles' outputs
 * wasted) 19.7 against 18.7 and 30.9 against 20.9.
 */
export function winogradTile(p: IgemmPass): WinogradTile {
  return fewerTransformedValues(p.dstH, p.dstW);
}

/** The output tile with fewer transformed values for an h x w output, 2x2 on a tie. */
export function fewerTransformedValues(h: number, w: number): WinogradTile {
  const values = (e: number): number => Math.ceil(h / e) * Math.ceil(w / e) * (e + 2) ** 2;
  return values(4) < values(2) ? 4 : 2;
}

/** Whether the Winograd kernel computes this pass: 3x3 filter, stride 1, channels multiples of 4. */
export function winogradApplies(p: IgemmPass): boolean {
  return p.fh === 3 && p.fw === 3 && p.strideH === 1 && p.strideW === 1 && p.upH === 1 && p.upW === 1 && p.c % 4 === 0 && p.n % 4 === 0;
}

/** Computes one pass that winogradApplies to, with every thread of the context's pool. */
export function runWinograd(ctx: KernelContext, p: IgemmPass): void {
  const sizes = convSizes(ctx.isa);
  const e = winogradTile(p);
  const filterBytes = cacheLines(sizes.winogradFilter(p.c, p.n, e));
  const stride = cacheLines(sizes.winogradScratch(p.c, p.n, e));
  const base = cacheLines(ctx.scratch(64 + filterBytes + ctx.threads * stride));
  const [, , cin, cout] = p.filter.shape as [number, number, number, number];
  const { backend, pool } = ctx;
  pool.parallelFor(
    `f32_conv2d_winograd_filter_${e}x${e}_3x3__wasmsimd`,
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
  const tiles = batch * Math.ceil(p.dstH / e) * Math.ceil(p.dstW / e);
  const blocks = Math.ceil(tiles / (STRIPS_PER_BLOCK[e] * sizes.mr));
  pool.parallelFor(
    `f32_conv2d_winograd_${e}x${e}_3x3__wasmsimd`,
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
