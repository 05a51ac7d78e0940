import * as tf from '@tensorflow/tfjs-core';
import { kernelContext } from '../call/context.js';
import { PARALLEL_MIN_ELEMENTS, sizeOf } from '../call/elementwise.js';
import { tensorOffset } from '../call/wasm_heap.js';
import { reluGrad } from './relu_grad.js';
import { planColumnSum } from './sum.js';

/** ReLU's gradient and its bias gradient as one kernel; no tfjs op has it, only this project's backend. */
export const RELU_GRAD_BIAS_SUM = 'AlnumReluGradBiasSum';

/**
 * [dz, db] for dy and y of one shape [..., c]: dz = dy * step(y) (the ReluGrad kernel's values) and db its
 * sum over every axis but the last (the Sum kernel's, by its block plan), in one pass over dy and y instead
 * of a second one over dz. The same bits as ReluGrad then Sum. Only `reluGradAndBiasSum` below calls it,
 * with float32 tensors of one shape.
 */
export function reluGradBiasSumConfig(backendName: string): tf.KernelConfig {
  return {
    kernelName: RELU_GRAD_BIAS_SUM,
    backendName,
    kernelFunc: ({ inputs, backend }) => {
      const { dy, y } = inputs as { dy: tf.TensorInfo; y: tf.TensorInfo };
      // An internal invariant, not a case to fall back on: the one caller checks these first.
      if (dy.dtype !== 'float32' || y.dtype !== 'float32' || !tf.util.arraysEqual(dy.shape, y.shape) || y.shape.length < 2) {
        throw new Error(`${RELU_GRAD_BIAS_SUM} needs float32 dy and y of one shape of rank 2 or more, got ${dy.dtype}[${dy.shape}] and ${y.dtype}[${y.shape}]`);
      }
      const ctx = kernelContext(backend);
      const cols = y.shape[y.shape.length - 1]!;
      const rows = sizeOf(y) / Math.max(cols, 1);
      const dz = ctx.backend.makeOutput(y.shape, 'float32');
      const db = ctx.backend.makeOutput([cols], 'float32');
      if (rows === 0 || cols === 0) {
        // No rows: the bias gradient is zeros, as Sum over an empty axis gives.
        new Float32Array(ctx.backend.wasm.HEAPU8.buffer, tensorOffset(ctx.backend, db), cols).fill(0);
        return [dz, db];
      }
      const { blockRows, blocks } = planColumnSum(rows);
      const partial = ctx.scratch(blocks * cols * 4);
      ctx.pool.parallelFor(
        'f32_relu_grad_sum_rows_blocks__wasmsimd',
        [
          tensorOffset(ctx.backend, dy), // dy_offset
          tensorOffset(ctx.backend, y), // y_offset
          tensorOffset(ctx.backend, dz), // dz_offset
          rows, // rows
          cols, // cols
          blockRows, // block_rows
          partial, // partial_offset
        ],
        blocks,
        rows * cols < PARALLEL_MIN_ELEMENTS ? 1 : blocks,
      );
      ctx.pool.parallelFor(
        'f32_sum_partials__wasmsimd',
        [
          partial, // partial_offset
          blocks, // blocks
          cols, // cols
          tensorOffset(ctx.backend, db), // out_offset
        ],
        cols,
        1,
      );
      return [dz, db];
    },
  };
}

/**
 * The gradients of activation(z) = relu(z) and of its bias, from dy and the layer's output y (positive
 * exactly where z is): [dz, db] with db summed over every axis of dz but the last. One kernel where the
 * current backend has it, else ReluGrad (or tfjs's ops) then a sum; the same values either way.
 */
export function reluGradAndBiasSum<T extends tf.Tensor>(dy: T, y: T): [T, tf.Tensor1D] {
  if (
    dy.dtype === 'float32' &&
    y.dtype === 'float32' &&
    y.rank >= 2 &&
    tf.util.arraysEqual(dy.shape, y.shape) &&
    tf.getKernel(RELU_GRAD_BIAS_SUM, tf.getBackend()) !== undefined
  ) {
    const [dz, db] = tf.engine().runKernel(RELU_GRAD_BIAS_SUM, { dy, y }) as [T, tf.Tensor1D];
    return [dz, db];
  }
  const dz = reluGrad(dy, y);
  return [dz, tf.sum(dz, [...Array(dz.rank - 1).keys()]) as tf.Tensor1D];
}
