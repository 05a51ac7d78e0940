// x·W + b, then ReLU or nothing, as one `_FusedMatMul` kernel while training. tfjs's fused matMul op
// fuses ReLU only when no gradient is being recorded, so a Dense layer with ReLU otherwise runs MatMul,
// Add and Relu, and their gradients through as many ops again. Here the forward pass is the one
// fused kernel every backend has, and its gradient is registered for that kernel: lazy per input, so
// the engine computes dx only where something needs it (never for the first layer's input).
import * as tf from '@tensorflow/tfjs-core';
import { RELU_GRAD } from '../kernels/ReluGrad.js';

const FUSED_MAT_MUL = '_FusedMatMul';

/** activation(x·w + b) for x [n, k], w [k, units], b [units], recorded for gradients as one op. */
export function denseBiasActivation(x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D, activation: 'linear' | 'relu'): tf.Tensor2D {
  const attrs = { transposeA: false, transposeB: false, activation };
  return tf.engine().runKernel(FUSED_MAT_MUL, { a: x, b: w, bias: b }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor2D;
}

/**
 * The gradient of `_FusedMatMul` as `denseBiasActivation` runs it. Only a direct kernel call while recording
 * reaches it: tfjs's own fused matMul op runs the kernel inside its custom gradient, which the tape
 * never sees. Other attributes are refused rather than differentiated wrongly.
 */
function registerDenseReluGradient(): void {
  tf.registerGradient({
    kernelName: FUSED_MAT_MUL,
    inputsToSave: ['a', 'b'],
    outputsToSave: [true],
    gradFunc: (dy, saved, attrs) => {
      const { transposeA, transposeB, activation } = attrs as unknown as { transposeA: boolean; transposeB: boolean; activation: string };
      if (transposeA || transposeB || (activation !== 'relu' && activation !== 'linear')) {
        throw new Error(`no gradient for ${FUSED_MAT_MUL} with transposeA=${transposeA}, transposeB=${transposeB}, activation=${activation}`);
      }
      const [x, w, y] = saved as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
      // relu'(z) is 1 exactly where y = relu(z) > 0, so the output stands in for the pre-activation.
      // Made here, not in a thunk: each thunk runs in a tidy of its own that would dispose it.
      const dz = activation === 'relu' ? reluGrad(dy as tf.Tensor2D, y) : (dy as tf.Tensor2D);
      return {
        a: () => tf.matMul(dz, w, false, true),
        b: () => tf.matMul(x, dz, true, false),
        bias: () => tf.sum(dz, 0),
      };
    },
  });
}

function reluGrad(dy: tf.Tensor2D, y: tf.Tensor2D): tf.Tensor2D {
  if (tf.getKernel(RELU_GRAD, tf.getBackend()) !== undefined) return tf.engine().runKernel(RELU_GRAD, { dy, x: y }) as tf.Tensor2D;
  return tf.mul(dy, tf.step(y));
}

// Gradients are global to tfjs; registered on import, so every backend that runs this op can train it.
registerDenseReluGradient();
