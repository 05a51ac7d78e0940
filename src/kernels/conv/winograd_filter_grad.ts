// Runs the Winograd F(3x3, 2x2) or F(3x3, 4x4) filter gradient (assembly/winograd_backprop_filter.ts)
// for a 3x3 stride-1 convolution: tasks sum their tiles' transformed products, then a second pass adds
// the partials and transforms them into dW, input channels split across the threads.
import type { backend_util, TensorInfo } from '@tensorflow/tfjs-core';
import type { KernelContext } from '../call/context.js';
import { tensorOffset } from '../call/wasm_heap.js';
import { chunks } from './pass.js';
import { cacheLines, convSizes, type WinogradTile } from './sizes.js';
import { fewerTransformedValues } from './winograd.js';

// Scratch the partial sums may take before tasks are merged (the CNN's widest layer needs 4.3 MB).
const MAX_PARTIAL_BYTES = 32 << 20;

/** Whether the Winograd filter gradient covers this convolution: 3x3, stride 1, channels in fours. */
export function winogradFilterGradApplies(info: backend_util.Conv2DInfo): boolean {
  return (
    info.filterHeight === 3 &&
    info.filterWidth === 3 &&
    info.strideHeight === 1 &&
    info.strideWidth === 1 &&
    info.dilationHeight === 1 &&
    info.dilationWidth === 1 &&
    info.inChannels % 4 === 0 &&
    info.outChannels % 4 === 0
  );
}

/** Writes dW of the convolution described by `info` into `out`, with every thread of the pool. */
export function runWinogradFilterGrad(ctx: KernelContext, x: TensorInfo, dy: TensorInfo, info: backend_util.Conv2DInfo, out: TensorInfo): void {
  const sizes = convSizes(ctx.isa);
  const cin = info.inChannels;
  const cout = info.outChannels;
  // dy is cut into e x e tiles, as a forward pass cuts its output.
  const e: WinogradTile = fewerTransformedValues(info.outHeight, info.outWidth);
  const partial = sizes.filterGradWinogradPartial(cin, cout, e);
  // Each task owns a² partial cin x cout sums: wide layers get fewer tasks (at least one per thread).
  const tasks = Math.max(ctx.threads, Math.min(chunks(ctx.threads), Math.floor(MAX_PARTIAL_BYTES / partial)));
  const stride = cacheLines(sizes.filterGradWinogradScratch(cin, cout, e));
  const base = cacheLines(ctx.scratch(64 + tasks * partial + ctx.threads * stride));
  const scratch = base + tasks * partial;
  ctx.pool.parallelFor(
    `f32_conv2d_backprop_filter_winograd_3x3_${e}x${e}__wasmsimd`,
    [
      tensorOffset(ctx.backend, x), // x
      info.batchSize, // batch
      info.inHeight, // srcH
      info.inWidth, // srcW
      cin, // cin
      info.outHeight, // dstH
      info.outWidth, // dstW
      info.padInfo.top, // padT
      info.padInfo.left, // padL
      tensorOffset(ctx.backend, dy), // dy
      cout, // cout
      tasks, // tasks
      base, // partials
      scratch, // scratch
      stride, // scratchStride
    ],
    tasks,
    tasks,
  );
  ctx.pool.parallelFor(
    `f32_conv2d_backprop_filter_winograd_reduce_3x3_${e}x${e}__wasmsimd`,
    [
      tensorOffset(ctx.backend, out), // out
      cin, // cin
      cout, // cout
      tasks, // tasks
      base, // partials
      scratch, // scratch
      stride, // scratchStride
    ],
    cin,
  );
}
