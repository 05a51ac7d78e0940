// The forward convolution shared by the Conv2D and FusedConv2D kernels: checks that our kernel
// covers the case and runs it as an implicit GEMM.
import { backend_util, type TensorInfo } from '@tensorflow/tfjs-core';
import { kernelContext } from '../call/context.js';
import { runIgemm } from './igemm.js';

/** Attributes common to Conv2D and FusedConv2D. */
export interface ConvForwardAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dilations: [number, number] | number;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/** Whether our kernel computes this convolution (else the stock kernel should). */
export function ownsConvForward(x: TensorInfo, filter: TensorInfo, attrs: ConvForwardAttrs): boolean {
  const dilated = typeof attrs.dilations === 'number' ? attrs.dilations !== 1 : attrs.dilations.some((d) => d !== 1);
  return attrs.dataFormat === 'NHWC' && !dilated && x.dtype === 'float32' && filter.dtype === 'float32';
}

/** out = conv2d(x, filter) (+ bias)(ReLU) on our backend, NHWC, dilation 1. */
export function convForward(
  backend: unknown,
  x: TensorInfo,
  filter: TensorInfo,
  attrs: ConvForwardAttrs,
  bias: TensorInfo | undefined,
  relu: boolean,
): TensorInfo {
  const ctx = kernelContext(backend);
  const info = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filter.shape as [number, number, number, number],
    attrs.strides,
    attrs.dilations,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    'channelsLast',
  );
  const out = ctx.backend.makeOutput(info.outShape, 'float32');
  const m = info.batchSize * info.outHeight * info.outWidth;
  if (m === 0 || info.outChannels === 0) return out;
  runIgemm(ctx, {
    src: x,
    srcH: info.inHeight,
    srcW: info.inWidth,
    c: info.inChannels,
    dstH: info.outHeight,
    dstW: info.outWidth,
    fh: info.filterHeight,
    fw: info.filterWidth,
    strideH: info.strideHeight,
    strideW: info.strideWidth,
    padT: info.padInfo.top,
    padL: info.padInfo.left,
    upH: 1,
    upW: 1,
    m,
    n: info.outChannels,
    filter,
    flip: false,
    out,
    bias,
    relu,
  });
  return out;
}
