import { backend_util, type Conv2DBackpropFilterAttrs, type KernelConfig, type TensorInfo, util } from '@tensorflow/tfjs-core';
import { Composition } from '../call/compose.js';
import { kernelContext } from '../call/context.js';
import { heapF32, tensorOffset } from '../call/wasm_heap.js';
import { runFilterGrad } from '../conv/filter_grad.js';
import { padForNhwc } from '../conv/layout.js';

/**
 * The filter gradient the stock WASM backend lacks (NHWC x and dy, HWIO dW): Winograd F(3x3, 2x2) for
 * 3x3 stride-1 layers, patchesᵀ · dy on every thread for the others (conv/filter_grad.ts). With no stock
 * kernel to fall back on, other cases are brought to that one: NCHW tensors transposed to NHWC, other
 * dtypes cast to float32, and a dy of another shape than the convolution's output cut or zero-padded to it.
 */
export function conv2dBackpropFilterConfig(backendName: string): KernelConfig {
  return {
    kernelName: 'Conv2DBackpropFilter',
    backendName,
    kernelFunc: ({ inputs, attrs, backend }) => {
      const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
      const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as Conv2DBackpropFilterAttrs;
      const steps = new Composition({ backend, backendName });
      try {
        const nhwc = (t: TensorInfo): TensorInfo => (dataFormat === 'NCHW' ? steps.run('Transpose', { x: t }, { perm: [0, 2, 3, 1] }) : t);
        const xNhwc = steps.float(nhwc(x));
        const info = backend_util.computeConv2DInfo(
          xNhwc.shape as [number, number, number, number],
          filterShape,
          strides,
          1,
          padForNhwc(pad, dataFormat),
          dimRoundingMode,
          false,
          'channelsLast',
        );
        const ctx = kernelContext(backend);
        const out = ctx.backend.makeOutput(filterShape, 'float32');
        if (info.batchSize * info.outHeight * info.outWidth === 0) {
          // No output pixel: nothing flows back to the filter.
          const at = tensorOffset(ctx.backend, out) / 4;
          heapF32(ctx.backend).fill(0, at, at + util.sizeFromShape(filterShape));
          return out;
        }
        runFilterGrad(ctx, xNhwc, fitTo(steps, steps.float(nhwc(dy)), info.outShape), info, out);
        return out;
      } finally {
        steps.dispose();
      }
    },
  };
}

// tfjs does not check dy against the convolution's geometry (conv2dTranspose's filter gradient passes
// any dy). The CPU backend indexes dy by its own shape over the derived output, so elements beyond it
// are ignored: cut them off. Where dy is smaller it reads past its rows, which has no meaning; ours
// takes the missing elements as zeros.
function fitTo(steps: Composition, dy: TensorInfo, shape: number[]): TensorInfo {
  if (util.arraysEqual(dy.shape, shape)) return dy;
  const common = shape.map((d, i) => Math.min(d, dy.shape[i]!));
  const cut = util.arraysEqual(common, dy.shape) ? dy : steps.run('Slice', { x: dy }, { begin: [0, 0, 0, 0], size: common });
  if (util.arraysEqual(common, shape)) return cut;
  return steps.run('PadV2', { x: cut }, { paddings: shape.map((d, i) => [0, d - common[i]!]), constantValue: 0 });
}
