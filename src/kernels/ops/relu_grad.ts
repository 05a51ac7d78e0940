import * as tf from '@tensorflow/tfjs-core';
import { Composition } from '../call/compose.js';
import { kernelContext } from '../call/context.js';
import { runElementwise, sizeOf } from '../call/elementwise.js';
import { tensorOffset } from '../call/wasm_heap.js';

/** ReLU's gradient as one kernel, under TensorFlow's name for it; tfjs has no such kernel. */
export const RELU_GRAD = 'ReluGrad';

/**
 * dy * step(x) in one pass over dy and x, where tfjs runs Step, Cast and Multiply. Only `reluGrad` below
 * calls it, from the fused layers' private gradients, with float32 tensors of one shape; anything else
 * runs those three kernels, as tfjs would. tfjs's own Relu gradient is left alone: gradients are global
 * to every backend in the process.
 */
export function reluGradConfig(backendName: string): tf.KernelConfig {
  return {
    kernelName: RELU_GRAD,
    backendName,
    kernelFunc: ({ inputs, backend }) => {
      const { dy, x } = inputs as { dy: tf.TensorInfo; x: tf.TensorInfo };
      if (dy.dtype !== 'float32' || x.dtype !== 'float32' || !tf.util.arraysEqual(dy.shape, x.shape)) {
        const steps = new Composition({ backend, backendName });
        try {
          const mask = steps.run('Cast', { x: steps.run('Step', { x }, { alpha: 0 }) }, { dtype: 'float32' });
          return steps.run('Multiply', { a: dy, b: mask }, {}, true);
        } finally {
          steps.dispose();
        }
      }
      const ctx = kernelContext(backend);
      const out = ctx.backend.makeOutput(x.shape, 'float32');
      const n = sizeOf(x);
      runElementwise(
        ctx,
        'f32_relu_grad__wasmsimd',
        [
          tensorOffset(ctx.backend, dy), // dy_offset
          tensorOffset(ctx.backend, x), // x_offset
          tensorOffset(ctx.backend, out), // out_offset
          n, // n
        ],
        n,
      );
      return out;
    },
  };
}

/**
 * dy where x > 0, else 0: the ReluGrad kernel where the current backend has it, tfjs's own
 * mul(dy, cast(step(x))) elsewhere; the same values either way. x may be ReLU's input or its output,
 * which is positive exactly where the input was.
 */
export function reluGrad<T extends tf.Tensor>(dy: T, x: tf.Tensor): T {
  if (dy.dtype === 'float32' && x.dtype === 'float32' && tf.getKernel(RELU_GRAD, tf.getBackend()) !== undefined) {
    return tf.engine().runKernel(RELU_GRAD, { dy, x }) as T;
  }
  return tf.mul(dy, tf.cast(tf.step(x), 'float32'));
}
