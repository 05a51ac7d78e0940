// Sum over leading axes (bias gradients) against the CPU backend, which sums in doubles; other reductions
// must still work (they run tfjs's own kernel); and the result must not depend on the thread count.

import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, test } from 'vitest';
import '@tensorflow/tfjs-backend-cpu';
import { openWasm } from '../../../src/backends/wasm.js';
import { expectClose } from '../../support/expect_close.js';
import { KERNEL_VARIANTS, TESTED_THREAD_COUNTS } from '../../support/kernels/network_shapes.js';
import { randomTensor, runKernelOn } from '../../support/kernels/run_kernel.js';

/** f32 runs of 64 rows inside blocks of up to rows/64 rows: far below this, relative to the largest sum. */
const TOLERANCE = 2e-6;

const CASES = [
  { shape: [1, 7], axis: [0] },
  { shape: [128, 700], axis: [0] },
  { shape: [128, 36], axis: [0] },
  { shape: [5, 3, 3, 17], axis: [0, 1, 2] },
  { shape: [3, 4], axis: [0], keepDims: true },
  { shape: [2, 5, 7], axis: [-3, -2] },
  { shape: [129, 3], axis: [0] },
  { shape: [128, 54, 54, 16], axis: [0, 1, 2] },
  { shape: [128, 24, 24, 64], axis: [0, 1, 2] },
  // Not leading axes, or all of them: tfjs's own kernel.
  { shape: [7, 3], axis: [1] },
  { shape: [4, 6, 5], axis: [0, 2] },
  { shape: [9], axis: [0] },
];

describe.each(KERNEL_VARIANTS)('Sum, $kernelIsa build, $threads thread(s)', (variant) => {
  let backend = '';
  beforeAll(async () => {
    backend = (await openWasm(variant)).tfjsName;
  });

  test.each(CASES.map((c, i) => ({ ...c, keepDims: c.keepDims ?? false, seed: 50 + i })))(
    'matches the CPU backend: $shape over $axis, keepDims $keepDims',
    ({ shape, axis, keepDims, seed }) => {
      const x = randomTensor(shape, seed);
      const want = runKernelOn('cpu', 'Sum', { x }, { axis, keepDims });
      const got = runKernelOn(backend, 'Sum', { x }, { axis, keepDims });
      expectClose(got, want, TOLERANCE);
      tf.setBackend(backend);
      const outShape = tf.tidy(() => tf.sum(tf.zeros(shape), axis, keepDims).shape);
      tf.setBackend('cpu');
      expect(outShape).toEqual(tf.tidy(() => tf.sum(tf.zeros(shape), axis, keepDims).shape));
    },
  );
});

test('gives the same bits on every thread count', async () => {
  const x = randomTensor([128, 52, 52, 32], 9);
  const sums: Float32Array[] = [];
  for (const threads of TESTED_THREAD_COUNTS) {
    const backend = (await openWasm({ threads })).tfjsName;
    sums.push(runKernelOn(backend, 'Sum', { x }, { axis: [0, 1, 2], keepDims: false }));
  }
  for (const sum of sums.slice(1)) expect(Array.from(sum)).toEqual(Array.from(sums[0]!));
});
