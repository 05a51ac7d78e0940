// x·W + b, then ReLU or nothing, as one kernel while training. tfjs's fused matMul op fuses ReLU only when
// no gradient is being recorded, so a Dense layer with ReLU otherwise runs MatMul, Add and Relu, and their
// gradients through as many ops again. Here the forward pass is the `_FusedMatMul` kernel every backend
// has, recorded under a private name (private_kernel.ts) whose gradient is lazy per input: the engine
// computes dx only where something needs it (never for the first layer's input).
import * as tf from '@tensorflow/tfjs-core';
import { OWN_WASM } from '../backends/types.js';
import { reluGradAndBiasSum } from '../kernels/ops/relu_grad_bias_sum.js';
import { type PrivateKernel, privateKernelOnCurrentBackend } from './private_kernel.js';

/**
 * Backends whose `_FusedMatMul` takes rank-2 operands. The kernel's contract is rank 3 (tfjs's op always
 * reshapes), and stock tfjs-wasm reads out of bounds on rank 2; three Reshapes a layer cost bookkeeping
 * that these two backends need not pay.
 */
const RANK_2_BACKENDS: ReadonlySet<string> = new Set(['cpu', OWN_WASM]);

/** What the private kernel is called with: never transposed, linear or ReLU. */
interface DenseBiasActivationAttrs {
  transposeA: false;
  transposeB: false;
  activation: 'linear' | 'relu';
}

const DENSE_BIAS_ACTIVATION: PrivateKernel = {
  name: 'AlnumDenseBiasActivation',
  runs: '_FusedMatMul',
  gradient: {
    inputsToSave: ['a', 'b'],
    outputsToSave: [true],
    gradFunc: (dy, saved, attrs) => {
      const { activation } = attrs as unknown as DenseBiasActivationAttrs;
      // Rank 3 ([1, n, k]) on backends that need it: the maths is rank 2, the gradients take the inputs' shapes.
      const [x3, w3, y3] = saved as tf.Tensor[];
      const [x, w, y] = [x3!, w3!, y3!].map((t) => (t.rank === 2 ? t : tf.reshape(t, [t.shape[1]!, t.shape[2]!]))) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
      // relu'(z) is 1 exactly where y = relu(z) > 0, so the output stands in for the pre-activation.
      // Made here, not in a thunk: each thunk runs in a tidy of its own that would dispose it.
      const upstream = (dy as tf.Tensor).rank === 2 ? (dy as tf.Tensor2D) : (tf.reshape(dy as tf.Tensor, y.shape) as tf.Tensor2D);
      // With ReLU, the bias gradient comes out of the same pass over dy and y.
      const [dz, db] = activation === 'relu' ? reluGradAndBiasSum(upstream, y) : [upstream, undefined];
      return {
        a: () => tf.reshape(tf.matMul(dz, w, false, true), x3!.shape),
        b: () => tf.reshape(tf.matMul(x, dz, true, false), w3!.shape),
        bias: () => db ?? tf.sum(dz, 0),
      };
    },
  },
};

/** Whether `denseBiasActivation` can run on the current backend (every backend with `_FusedMatMul`). */
export function denseBiasActivationRuns(): boolean {
  return privateKernelOnCurrentBackend(DENSE_BIAS_ACTIVATION);
}

/** activation(x·w + b) for x [n, k], w [k, units], b [units], recorded for gradients as one op. */
export function denseBiasActivation(x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D, activation: 'linear' | 'relu'): tf.Tensor2D {
  if (!denseBiasActivationRuns()) throw new Error(`the ${tf.getBackend()} backend has no ${DENSE_BIAS_ACTIVATION.runs} kernel`);
  const attrs: DenseBiasActivationAttrs = { transposeA: false, transposeB: false, activation };
  const kernelAttrs = attrs as unknown as tf.NamedAttrMap;
  if (RANK_2_BACKENDS.has(tf.getBackend())) return tf.engine().runKernel(DENSE_BIAS_ACTIVATION.name, { a: x, b: w, bias: b }, kernelAttrs) as tf.Tensor2D;
  const [n, units] = [x.shape[0], w.shape[1]];
  const y = tf.engine().runKernel(DENSE_BIAS_ACTIVATION.name, { a: tf.expandDims(x, 0), b: tf.expandDims(w, 0), bias: b }, kernelAttrs) as tf.Tensor3D;
  return tf.reshape(y, [n, units]);
}
