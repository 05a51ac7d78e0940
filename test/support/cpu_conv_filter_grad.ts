// tfjs-backend-cpu's Conv2DBackpropFilter runs at about 0.01 GFLOP/s (63 s for the CNN's second layer on
// 16 images), which makes the CPU backend useless as a reference for CNN training in a test. The filter
// gradient is itself a convolution: of the (padded) input with channels and batch swapped, by the output
// gradient as the filter, dilated by the forward pass's stride. The CPU backend's own Conv2D does that 25x faster.
import * as tf from '@tensorflow/tfjs-core';

type Run = (name: string, inputs: tf.NamedTensorInfoMap, attrs: object) => tf.TensorInfo;

/**
 * dW[kh,kw,ci,co] = sum over n,y,x of xp[n, y*sh+kh, x*sw+kw, ci] * dy[n,y,x,co], where xp is x with the forward
 * pass's padding: Conv2D(xpᵀ, dyᵀ) with batch and channels swapped and dilations equal to the strides, cut to the
 * filter's size (a stride that does not divide the padded input leaves rows and columns no output read).
 */
function filterGradByConv(
  run: Run,
  x: tf.TensorInfo,
  dy: tf.TensorInfo,
  attrs: tf.Conv2DBackpropFilterAttrs,
  dispose: (t: tf.TensorInfo) => void,
): tf.TensorInfo {
  const [kh, kw, ci, co] = attrs.filterShape;
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    attrs.filterShape,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
  const { top, bottom, left, right } = info.padInfo;
  const temporaries: tf.TensorInfo[] = [];
  const keep = (t: tf.TensorInfo): tf.TensorInfo => {
    temporaries.push(t);
    return t;
  };
  const padded =
    top + bottom + left + right === 0
      ? x
      : keep(
          run(
            'PadV2',
            { x },
            {
              paddings: [
                [0, 0],
                [top, bottom],
                [left, right],
                [0, 0],
              ],
              constantValue: 0,
            },
          ),
        );
  const xT = keep(run('Transpose', { x: padded }, { perm: [3, 1, 2, 0] })); // [ci, h, w, n]
  const dyT = keep(run('Transpose', { x: dy }, { perm: [1, 2, 0, 3] })); // [oh, ow, n, co]
  const dilations = [info.strideHeight, info.strideWidth];
  let r = keep(run('Conv2D', { x: xT, filter: dyT }, { strides: [1, 1], pad: 'valid', dataFormat: 'NHWC', dilations })); // [ci, >=kh, >=kw, co]
  if (r.shape[1] !== kh || r.shape[2] !== kw) r = keep(run('Slice', { x: r }, { begin: [0, 0, 0, 0], size: [ci, kh, kw, co] }));
  const out = run('Transpose', { x: r }, { perm: [1, 2, 0, 3] });
  for (const t of temporaries) dispose(t);
  return out;
}

/**
 * Replaces the CPU backend's Conv2DBackpropFilter with the same gradient computed through its Conv2D, for NHWC
 * with any strides and padding; returns a function that restores the original.
 */
export function useFastCpuConvFilterGrad(): () => void {
  const original = tf.getKernel('Conv2DBackpropFilter', 'cpu');
  if (original === undefined) throw new Error('the cpu backend has no Conv2DBackpropFilter to replace');
  tf.unregisterKernel('Conv2DBackpropFilter', 'cpu');
  tf.registerKernel({
    kernelName: 'Conv2DBackpropFilter',
    backendName: 'cpu',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const convAttrs = attrs as unknown as tf.Conv2DBackpropFilterAttrs;
      if (convAttrs.dataFormat !== 'NHWC') throw new Error('fast cpu Conv2DBackpropFilter: NHWC only');
      const run: Run = (name, ins, at) => {
        const kernel = tf.getKernel(name, 'cpu');
        if (kernel === undefined) throw new Error(`the cpu backend has no ${name} kernel`);
        return kernel.kernelFunc({ inputs: ins, backend, attrs: at as tf.NamedAttrMap }) as tf.TensorInfo;
      };
      const cpu = backend as unknown as { disposeIntermediateTensorInfo(t: tf.TensorInfo): void };
      const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
      return filterGradByConv(run, x, dy, convAttrs, (t) => cpu.disposeIntermediateTensorInfo(t));
    },
  });
  return () => {
    tf.unregisterKernel('Conv2DBackpropFilter', 'cpu');
    tf.registerKernel(original);
  };
}
