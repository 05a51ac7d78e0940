// ReLU's gradient and the bias gradient in one kernel, against the two kernels it replaces on our backend
// (ReluGrad, then Sum over the leading axes: the same bits) and against tfjs's cpu backend (dz exact, the
// sum within float32 rounding), with fresh outputs filled with a NaN sentinel.
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, test } from 'vitest';
import '@tensorflow/tfjs-backend-cpu';
import { openWasm } from '../../../src/backends/wasm.js';
import { RELU_GRAD, reluGrad } from '../../../src/kernels/ops/relu_grad.js';
import { RELU_GRAD_BIAS_SUM, reluGradAndBiasSum } from '../../../src/kernels/ops/relu_grad_bias_sum.js';
import { KERNEL_VARIANTS } from '../../support/kernels/network_shapes.js';
import { type HostTensor, randomTensor } from '../../support/kernels/run_kernel.js';
import { withSentinelOutputs } from '../../support/kernels/sentinel_heap.js';

// Channel counts with and without 16- and 4-wide groups; row counts around the sum's 64-row runs, and
// shapes large enough to split across threads (the CNN's conv2 at batch 16, the FC net's first layer).
const SHAPES: number[][] = [
  [1, 1],
  [5, 3],
  [63, 4],
  [64, 17],
  [65, 36],
  [200, 20],
  [128, 700],
  [4097, 5],
  [3, 7, 5, 16],
  [2, 13, 11, 32],
  [16, 26, 26, 32],
  [7, 9, 9, 128],
];

/** dy, and y as a ReLU output: zeros where the pre-activation was negative, a NaN where asked. */
function inputs(shape: number[], seed: number, nanAt?: number): { dy: HostTensor; y: HostTensor } {
  const y = randomTensor(shape, seed + 1, true);
  if (nanAt !== undefined) y.data[nanAt % y.data.length] = Number.NaN;
  return { dy: randomTensor(shape, seed), y };
}

/** [dz, db] on `backend` from host data, by the fused function or by ReluGrad then Sum. */
function run(backend: string, dy: HostTensor, y: HostTensor, fused: boolean): [Float32Array, Float32Array] {
  tf.setBackend(backend);
  return tf.tidy(() =>
    withSentinelOutputs(backend, () => {
      const [a, b] = [tf.tensor(dy.data, dy.shape), tf.tensor(y.data, y.shape)];
      const [dz, db] = fused ? reluGradAndBiasSum(a, b) : unfused(a, b);
      return [Float32Array.from(dz.dataSync()), Float32Array.from(db.dataSync())];
    }),
  );
}

function unfused(dy: tf.Tensor, y: tf.Tensor): [tf.Tensor, tf.Tensor] {
  const dz = reluGrad(dy, y);
  return [dz, tf.sum(dz, [...Array(dz.rank - 1).keys()])];
}

function expectSameBits(got: Float32Array, want: Float32Array, what: string): void {
  expect(got.length).toBe(want.length);
  const at = got.findIndex((v, i) => !Object.is(v, want[i]));
  expect(at, `${what}: first difference at ${at}: got ${got[at]}, want ${want[at]}`).toBe(-1);
}

describe.each(KERNEL_VARIANTS)('ReluGradBiasSum, $kernelIsa build, $threads thread(s)', (variant) => {
  let backend = '';
  beforeAll(async () => {
    backend = (await openWasm(variant)).tfjsName;
  });

  test.each(SHAPES.map((shape, i) => ({ shape, seed: 100 + 7 * i })))('equals ReluGrad then Sum bit for bit, and the cpu: $shape', ({ shape, seed }) => {
    expect(tf.getKernel(RELU_GRAD_BIAS_SUM, backend)).toBeDefined();
    expect(tf.getKernel(RELU_GRAD, backend)).toBeDefined();
    const { dy, y } = inputs(shape, seed);
    const [dz, db] = run(backend, dy, y, true);
    const [dzTwo, dbTwo] = run(backend, dy, y, false);
    expectSameBits(dz, dzTwo, 'dz');
    expectSameBits(db, dbTwo, 'db');
    const [dzCpu, dbCpu] = run('cpu', dy, y, false);
    expectSameBits(dz, dzCpu, 'dz against cpu');
    const rows = dy.data.length / db.length;
    db.forEach((v, c) => {
      const magnitude = Array.from({ length: rows }, (_, r) => Math.abs(dzCpu[r * db.length + c]!)).reduce((a, b) => a + b, 0);
      expect(Math.abs(v - dbCpu[c]!), `db[${c}]`).toBeLessThanOrEqual(1e-6 * (magnitude + 1));
    });
  });

  test('a NaN in y gives NaN in dz and in its column sum, as ReluGrad then Sum', () => {
    const { dy, y } = inputs([130, 20], 9, 20 * 77 + 3);
    const [dz, db] = run(backend, dy, y, true);
    const [dzTwo, dbTwo] = run(backend, dy, y, false);
    expect(Number.isNaN(dz[20 * 77 + 3]!)).toBe(true);
    expect(Number.isNaN(db[3]!)).toBe(true);
    expect(db.filter(Number.isNaN).length).toBe(1);
    expectSameBits(dz, dzTwo, 'dz');
    expectSameBits(db, dbTwo, 'db');
  });
});

test('elsewhere it is ReluGrad then a sum', async () => {
  tf.setBackend('cpu');
  const dy = tf.tensor2d([
    [1, -2],
    [3, 4],
  ]);
  const y = tf.tensor2d([
    [0.5, 0],
    [0, 2],
  ]);
  const [dz, db] = reluGradAndBiasSum(dy, y);
  // -2 * step(0) is -0, as tfjs's mul(dy, step(y)) gives it.
  expect(Array.from(dz.dataSync())).toEqual([1, -0, 0, 4]);
  expect(Array.from(db.dataSync())).toEqual([1, 4]);
  tf.dispose([dy, y, dz, db]);
});
