import { backend_util, type Conv2DBackpropInputAttrs, type KernelConfig, type TensorInfo, util } from '@tensorflow/tfjs-core';
import { kernelContext } from '../call/context.js';
import { runStockKernel } from '../call/stock_kernel.js';
import { runIgemm } from '../conv/igemm.js';
import { runPhases } from '../conv/phases.js';

/**
 * Input gradient of an NHWC convolution as the forward implicit GEMM of dy with the filter rotated by
 * 180 degrees and its channels swapped: stride 1, padding fh-1-padTop, and dy upsampled by the forward
 * stride (taps between dy pixels read zero). A strided one with several input channels runs by
 * sub-pixel phases instead (conv/phases.ts), without the upsampling's zeros; one input channel keeps
 * the upsampled pass, whose dot-product kernel suits N = 1. NCHW, other dtypes and a dy of another
 * shape than the geometry's output run the stock kernel.
 */
export function conv2DBackpropInputConfig(backendName: string): KernelConfig {
  return {
    kernelName: 'Conv2DBackpropInput',
    backendName,
    kernelFunc: (args) => {
      const { dy, filter } = args.inputs as { dy: TensorInfo; filter: TensorInfo };
      const { strides, pad, dataFormat, dimRoundingMode, inputShape } = args.attrs as unknown as Conv2DBackpropInputAttrs;
      if (dataFormat !== 'NHWC' || dy.dtype !== 'float32' || filter.dtype !== 'float32') return runStockKernel('Conv2DBackpropInput', args);
      const info = backend_util.computeConv2DInfo(
        inputShape,
        filter.shape as [number, number, number, number],
        strides,
        1,
        pad,
        dimRoundingMode,
        false,
        'channelsLast',
      );
      // tfjs does not check dy against the geometry (conv2dTranspose passes any dy); the stock and CPU
      // kernels index dy by its own shape, ours by the derived one, so a dy of another shape is theirs.
      if (!util.arraysEqual(dy.shape, info.outShape)) return runStockKernel('Conv2DBackpropInput', args);
      const ctx = kernelContext(args.backend);
      const out = ctx.backend.makeOutput(inputShape, 'float32');
      const m = info.batchSize * info.inHeight * info.inWidth;
      if (m === 0 || info.inChannels === 0) return out;
      if (info.strideHeight * info.strideWidth > 1 && info.inChannels > 1) {
        runPhases(ctx, {
          dy,
          filter,
          out,
          batch: info.batchSize,
          inH: info.inHeight,
          inW: info.inWidth,
          outH: info.outHeight,
          outW: info.outWidth,
          strideH: info.strideHeight,
          strideW: info.strideWidth,
          padTop: info.padInfo.top,
          padLeft: info.padInfo.left,
        });
        return out;
      }
      runIgemm(ctx, {
        src: dy,
        srcH: info.outHeight,
        srcW: info.outWidth,
        c: info.outChannels,
        dstH: info.inHeight,
        dstW: info.inWidth,
        fh: info.filterHeight,
        fw: info.filterWidth,
        strideH: 1,
        strideW: 1,
        padT: info.filterHeight - 1 - info.padInfo.top,
        padL: info.filterWidth - 1 - info.padInfo.left,
        upH: info.strideHeight,
        upW: info.strideWidth,
        m,
        n: info.inChannels,
        filter,
        flip: true,
        out,
        relu: false,
      });
      return out;
    },
  };
}
