// Sum over leading axes (bias gradients) against the CPU backend, which sums in doubles; other reductions
// must still work (they run tfjs's own kernel); and the result must not depend on the thread count.

import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, test } from 'vitest';
import '@tensorflow/tfjs-backend-cpu';
import { openWasm } from '../../../src/backends/wasm.js';
import { planColumnSum } from '../../../src/kernels/ops/sum.js';
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

/**
 * The column sums in the kernel's float32 order, one addition at a time: the block plan's partial rows, each
 * made of runs of 64 rows into a fresh accumulator, then the partial rows in block order. The fused
 * ReLU-and-bias gradient sums in this order too, which is what keeps its bits equal to ReluGrad then Sum.
 */
function blockedColumnSums(x: Float32Array, rows: number, cols: number): Float32Array {
  const { blockRows, blocks } = planColumnSum(rows);
  const out = new Float32Array(cols);
  for (let c = 0; c < cols; c++) {
    let total = 0;
    for (let b = 0; b < blocks; b++) {
      const end = Math.min((b + 1) * blockRows, rows);
      let block = 0;
      for (let r = b * blockRows; r < end; r += 64) {
        let run = 0;
        for (let k = r; k < Math.min(r + 64, end); k++) run = Math.fround(run + x[k * cols + c]!);
        block = Math.fround(block + run);
      }
      total = Math.fround(total + block);
    }
    out[c] = total;
  }
  return out;
}

test.each([
  [1, 7],
  [129, 3],
  [128, 700],
  [4097, 36],
  [5 * 3 * 3, 17],
  [128 * 26 * 26, 32],
  [128 * 12 * 12, 64],
])('sums [%i, %i] over its rows in the blocked order, bit for bit, at 2 threads', async (rows, cols) => {
  const backend = (await openWasm({ threads: 2 })).tfjsName;
  const x = randomTensor([rows, cols], rows + cols);
  const got = runKernelOn(backend, 'Sum', { x }, { axis: [0], keepDims: false });
  const want = blockedColumnSums(x.data, rows, cols);
  const at = got.findIndex((v, i) => !Object.is(v, want[i]));
  expect(at, `first difference at column ${at}: got ${got[at]}, want ${want[at]}`).toBe(-1);
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
