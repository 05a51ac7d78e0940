import {
  backend_util,
  type Conv2DBackpropFilterAttrs,
  type KernelConfig,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { conv2dBackpropFilterReference, type ConvGeometry } from './reference/conv2d_backprop_filter.js';
import { heapF32, tensorOffset, type WasmBackendInternals } from './wasm_heap.js';

/** The filter gradient the stock WASM backend lacks (so no Conv2D layer could train on it). */
export function conv2dBackpropFilterConfig(backendName: string): KernelConfig {
  return {
    kernelName: 'Conv2DBackpropFilter',
    backendName,
    kernelFunc: ({ inputs, attrs, backend }) => {
      const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
      const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as Conv2DBackpropFilterAttrs;
      if (dataFormat !== 'NHWC') throw new Error(`Conv2DBackpropFilter supports NHWC only, not ${dataFormat}`);
      const info = backend_util.computeConv2DInfo(
        x.shape as [number, number, number, number],
        filterShape,
        strides,
        1,
        pad,
        dimRoundingMode,
        false,
        'channelsLast',
      );
      const wasm = backend as unknown as WasmBackendInternals;
      const out: TensorInfo = wasm.makeOutput(filterShape, 'float32');
      // Views are taken after makeOutput: allocating may grow the heap and detach older views.
      const heap = heapF32(wasm);
      const xs = heap.subarray(tensorOffset(wasm, x) / 4, tensorOffset(wasm, x) / 4 + sizeOf(x.shape));
      const dys = heap.subarray(tensorOffset(wasm, dy) / 4, tensorOffset(wasm, dy) / 4 + sizeOf(dy.shape));
      heap.set(conv2dBackpropFilterReference(xs, dys, geometryOf(info)), tensorOffset(wasm, out) / 4);
      return out;
    },
  };
}

/** Convolution geometry in the form the kernels take, from tfjs's own description. */
export function geometryOf(info: backend_util.Conv2DInfo): ConvGeometry {
  return {
    batch: info.batchSize,
    inHeight: info.inHeight,
    inWidth: info.inWidth,
    inChannels: info.inChannels,
    outHeight: info.outHeight,
    outWidth: info.outWidth,
    outChannels: info.outChannels,
    filterHeight: info.filterHeight,
    filterWidth: info.filterWidth,
    strideHeight: info.strideHeight,
    strideWidth: info.strideWidth,
    dilationHeight: info.dilationHeight,
    dilationWidth: info.dilationWidth,
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
  };
}

function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}
