// tfjs-backend-cpu's Conv2DBackpropFilter runs at about 0.01 GFLOP/s (63 s for the CNN's second layer on
// 16 images), which makes the CPU backend useless as a reference for CNN training in a test. For stride 1,
// no dilation and no padding the filter gradient is itself a convolution: of the input with channels and
// batch swapped, by the output gradient as the filter. The CPU backend's own Conv2D does that 25x faster.
import * as tf from '@tensorflow/tfjs-core';

type Run = (name: string, inputs: tf.NamedTensorInfoMap, attrs: object) => tf.TensorInfo;

/** dW[kh,kw,ci,co] = sum over n,y,x of x[n,y+kh,x+kw,ci] * dy[n,y,x,co], as Conv2D(xᵀ, dyᵀ) with batch and channels swapped. */
function filterGradByConv(run: Run, x: tf.TensorInfo, dy: tf.TensorInfo, dispose: (t: tf.TensorInfo) => void): tf.TensorInfo {
  const xT = run('Transpose', { x }, { perm: [3, 1, 2, 0] }); // [ci, h, w, n]
  const dyT = run('Transpose', { x: dy }, { perm: [1, 2, 0, 3] }); // [oh, ow, n, co]
  const r = run('Conv2D', { x: xT, filter: dyT }, { strides: [1, 1], pad: 'valid', dataFormat: 'NHWC', dilations: [1, 1] }); // [ci, kh, kw, co]
  const out = run('Transpose', { x: r }, { perm: [1, 2, 0, 3] });
  for (const t of [xT, dyT, r]) dispose(t);
  return out;
}

/**
 * Replaces the CPU backend's Conv2DBackpropFilter with the same gradient computed through its Conv2D, for
 * stride 1, valid padding and NHWC only (the notebook's CNN); returns a function that restores the original.
 */
export function useFastCpuConvFilterGrad(): () => void {
  const original = tf.getKernel('Conv2DBackpropFilter', 'cpu');
  if (original === undefined) throw new Error('the cpu backend has no Conv2DBackpropFilter to replace');
  tf.unregisterKernel('Conv2DBackpropFilter', 'cpu');
  tf.registerKernel({
    kernelName: 'Conv2DBackpropFilter',
    backendName: 'cpu',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { strides, pad, dataFormat } = attrs as unknown as tf.Conv2DBackpropFilterAttrs;
      const unit = typeof strides === 'number' ? strides === 1 : strides.every((s) => s === 1);
      if (!unit || pad !== 'valid' || dataFormat !== 'NHWC') throw new Error('fast cpu Conv2DBackpropFilter: stride 1, valid, NHWC only');
      const run: Run = (name, ins, at) => {
        const kernel = tf.getKernel(name, 'cpu');
        if (kernel === undefined) throw new Error(`the cpu backend has no ${name} kernel`);
        return kernel.kernelFunc({ inputs: ins, backend, attrs: at as tf.NamedAttrMap }) as tf.TensorInfo;
      };
      const cpu = backend as unknown as { disposeIntermediateTensorInfo(t: tf.TensorInfo): void };
      const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
      return filterGradByConv(run, x, dy, (t) => cpu.disposeIntermediateTensorInfo(t));
    },
  });
  return () => {
    tf.unregisterKernel('Conv2DBackpropFilter', 'cpu');
    tf.registerKernel(original);
  };
}
