// Mean (batch normalization's batch statistics) against the CPU backend: over leading axes it is our Sum divided by
// the count; other axes and dtypes must still give tfjs's answer.
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, test } from 'vitest';
import '@tensorflow/tfjs-backend-cpu';
import { openWasm } from '../../../src/backends/wasm.js';
import { expectClose } from '../../support/expect_close.js';
import { KERNEL_VARIANTS } from '../../support/kernels/network_shapes.js';
import { randomTensor, runKernelOn, runOpOn } from '../../support/kernels/run_kernel.js';

/** Our Sum's float32 partial sums against the CPU backend's double sums of x / n: as for Sum, relative to the largest. */
const TOLERANCE = 2e-6;

const CASES = [
  { shape: [32, 28, 28, 16], axis: [0, 1, 2] },
  { shape: [128, 7, 7, 64], axis: [0, 1, 2], keepDims: true },
  { shape: [129, 3], axis: [0] },
  { shape: [5, 3, 3, 17], axis: [-4, -3] },
  // Not leading axes, or all of them: Sum falls back to tfjs's own kernel, the division is still ours.
  { shape: [7, 3], axis: [1] },
  { shape: [4, 6, 5], axis: [0, 2] },
  { shape: [9], axis: [0] },
];

describe.each(KERNEL_VARIANTS)('Mean, $kernelIsa build, $threads thread(s)', (variant) => {
  let backend = '';
  beforeAll(async () => {
    backend = (await openWasm(variant)).tfjsName;
  });

  test.each(CASES.map((c, i) => ({ ...c, keepDims: c.keepDims ?? false, seed: 90 + i })))(
    'matches the CPU backend: $shape over $axis, keepDims $keepDims',
    ({ shape, axis, keepDims, seed }) => {
      const x = randomTensor(shape, seed);
      const want = runKernelOn('cpu', 'Mean', { x }, { axis, keepDims });
      const got = runKernelOn(backend, 'Mean', { x }, { axis, keepDims });
      // A mean of values centred on 0 is small: scale the check by the values' own size, not the result's.
      expectClose(
        got.map((v) => v * 100),
        want.map((v) => v * 100),
        TOLERANCE * 100,
      );
      const shapeOn = (name: string): number[] => {
        tf.setBackend(name);
        return tf.tidy(() => tf.mean(tf.zeros(shape), axis, keepDims).shape);
      };
      expect(shapeOn(backend)).toEqual(shapeOn('cpu'));
    },
  );

  test('int32 and empty tensors give what the CPU backend gives', () => {
    const ints = (name: string): Float32Array => runOpOn(name, () => tf.cast(tf.mean(tf.tensor2d([3, -8, 5, 9, 2, 7], [3, 2], 'int32'), 0), 'float32'));
    // The stock kernel divides the sum, the CPU backend sums the quotients: an ulp apart.
    expectClose(ints(backend), ints('cpu'), 1e-6);
    const empty = (name: string): number[] => {
      tf.setBackend(name);
      return tf.tidy(() => tf.mean(tf.zeros([0, 3]), 1).shape);
    };
    expect(empty(backend)).toEqual(empty('cpu'));
  });
});
