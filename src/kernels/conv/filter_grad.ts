// Runs a convolution's filter gradient with the kernel that suits its shape: Winograd F(3x3, 2x2) for
// 3x3 stride 1 (winograd_filter_grad.ts), a direct kernel for one input channel, else
// dW = patchesᵀ · dy (assembly/conv_backprop_filter.ts): the output pixels split into chunks, each summed
// into its own partial dW by every thread in turn, and the partials then added up, rows of dW split
// across the threads.
import type { backend_util, TensorInfo } from '@tensorflow/tfjs-core';
import type { KernelContext } from '../call/context.js';
import { tensorOffset } from '../call/wasm_heap.js';
import { chunks } from './pass.js';
import { cacheLines, convSizes } from './sizes.js';
import { runWinogradFilterGrad, winogradFilterGradApplies } from './winograd_filter_grad.js';

/** Writes dW (HWIO) of the NHWC convolution described by `info` into `out`, with every thread of the pool. */
export function runFilterGrad(ctx: KernelContext, x: TensorInfo, dy: TensorInfo, info: backend_util.Conv2DInfo, out: TensorInfo): void {
  const k = info.filterHeight * info.filterWidth * info.inChannels;
  const n = info.outChannels;
  if (k === 0 || n === 0) return;
  if (winogradFilterGradApplies(info)) {
    runWinogradFilterGrad(ctx, x, dy, info, out);
    return;
  }
  const m = info.batchSize * info.outHeight * info.outWidth;
  const sizes = convSizes(ctx.isa);
  const tasks = chunks(ctx.threads);
  const partial = sizes.filterGradPartial(k, n);
  // One input channel (a grey image) has its own kernel: as a GEMM its K of fh*fw taps is too short.
  const singleChannel = info.inChannels === 1 && n % 4 === 0;
  const stride = cacheLines(singleChannel ? sizes.filterGradC1Scratch(k) : sizes.filterGradScratch(k, n));
  const base = cacheLines(ctx.scratch(64 + tasks * partial + ctx.threads * stride));
  ctx.pool.parallelFor(
    singleChannel ? 'f32_conv2d_backprop_filter_c1__wasmsimd' : 'f32_conv2d_backprop_filter_gemm__wasmsimd',
    [
      tensorOffset(ctx.backend, x), // x
      info.inHeight, // srcH
      info.inWidth, // srcW
      ...(singleChannel ? [] : [info.inChannels]), // c
      info.outHeight, // dstH
      info.outWidth, // dstW
      info.filterHeight, // fh
      info.filterWidth, // fw
      info.strideHeight, // strideH
      info.strideWidth, // strideW
      info.padInfo.top, // padT
      info.padInfo.left, // padL
      tensorOffset(ctx.backend, dy), // dy
      m, // m
      n, // n
      tasks, // tasks
      base, // partials
      base + tasks * partial, // scratch
      stride, // scratchStride
    ],
    tasks,
    tasks,
  );
  ctx.pool.parallelFor(
    'f32_conv2d_backprop_filter_reduce__wasmsimd',
    [
      tensorOffset(ctx.backend, out), // out
      k, // k
      n, // n
      tasks, // tasks
      base, // partials
    ],
    k,
  );
}
