import { backend_util, type Conv2DBackpropFilterAttrs, type KernelConfig, type TensorInfo } from '@tensorflow/tfjs-core';
import { kernelContext } from './context.js';
import { chunks } from './conv_igemm.js';
import { cacheLines, convSizes } from './conv_sizes.js';
import { tensorOffset } from './wasm_heap.js';
import { runWinogradFilterGrad, winogradFilterGradApplies } from './winograd_filter_grad.js';

/**
 * The filter gradient the stock WASM backend lacks (NHWC x and dy, HWIO dW). 3x3 stride-1 layers use
 * Winograd F(3x3, 2x2); others dW = patchesᵀ · dy, the output pixels split into chunks, each summed into
 * its own partial dW by every thread in turn, and the partials then added up, rows of dW split across
 * the threads.
 */
export function conv2dBackpropFilterConfig(backendName: string): KernelConfig {
  return {
    kernelName: 'Conv2DBackpropFilter',
    backendName,
    kernelFunc: ({ inputs, attrs, backend }) => {
      const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
      const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as Conv2DBackpropFilterAttrs;
      if (dataFormat !== 'NHWC') throw new Error(`Conv2DBackpropFilter supports NHWC only, not ${dataFormat}`);
      const ctx = kernelContext(backend);
      const info = backend_util.computeConv2DInfo(
        x.shape as [number, number, number, number], filterShape, strides, 1, pad, dimRoundingMode, false, 'channelsLast',
      );
      const out = ctx.backend.makeOutput(filterShape, 'float32');
      const k = info.filterHeight * info.filterWidth * info.inChannels;
      const n = info.outChannels;
      if (k === 0 || n === 0) return out;
      if (winogradFilterGradApplies(info)) {
        runWinogradFilterGrad(ctx, x, dy, info, out);
        return out;
      }
      const m = info.batchSize * info.outHeight * info.outWidth;
      const sizes = convSizes(ctx.isa);
      const tasks = chunks(ctx.threads);
      const partial = sizes.filterGradPartial(k, n);
      // One input channel (a grey image) has its own kernel: as a GEMM its K of fh*fw taps is too short.
      const singleChannel = info.inChannels === 1 && n % 4 === 0;
      const stride = cacheLines(singleChannel ? sizes.filterGradC1Scratch(k) : sizes.filterGradScratch(k, n));
      const base = cacheLines(ctx.scratch(64 + tasks * partial + ctx.threads * stride));
      ctx.pool.parallelFor(singleChannel ? 'f32_conv2d_backprop_filter_c1' : 'f32_conv2d_backprop_filter_gemm', [
        tensorOffset(ctx.backend, x), info.inHeight, info.inWidth, // x, srcH, srcW
        ...(singleChannel ? [] : [info.inChannels]), // c
        info.outHeight, info.outWidth, info.filterHeight, info.filterWidth, // dstH, dstW, fh, fw
        info.strideHeight, info.strideWidth, info.padInfo.top, info.padInfo.left, // strideH, strideW, padT, padL
        tensorOffset(ctx.backend, dy), m, n, // dy, m, n
        tasks, base, // tasks, partials
        base + tasks * partial, stride, // scratch, scratchStride
      ], tasks, tasks);
      ctx.pool.parallelFor('f32_conv2d_backprop_filter_reduce', [
        tensorOffset(ctx.backend, out), k, n, tasks, base, // out, k, n, tasks, partials
      ], k);
      return out;
    },
  };
}
