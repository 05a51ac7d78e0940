// The stateless dropout kernel against its scalar reference (bit for bit), and the properties a dropout
// mask must have: keep fraction near 1 - rate, kept values scaled exactly, the same mask for the same
// (seed, counter) on every backend, a different one for every other call.

import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, test } from 'vitest';
import '@tensorflow/tfjs-backend-cpu';
import { openWasm } from '../../../src/backends/wasm.js';
import { dropoutKeys, dropoutMultipliers, keepScale } from '../../../src/kernels/ops/dropout_mask.js';
import { STATELESS_DROPOUT } from '../../../src/kernels/ops/stateless_dropout.js';
import { statelessDropout } from '../../../src/models/stateless_dropout.js';
import { KERNEL_VARIANTS } from '../../support/kernels/network_shapes.js';
import { randomTensor, runKernelOn } from '../../support/kernels/run_kernel.js';

// Odd sizes, below and above the size at which the kernel splits across threads; the last is FC's input.
const SIZES = [1, 3, 17, 1023, 65537, 128 * 3136];

/** Bit-for-bit equality (dropped elements are zeros, so a relative check could pass on an all-zero reference). */
function expectSame(got: Float32Array, want: Float32Array): void {
  expect(got.length).toBe(want.length);
  const at = got.findIndex((v, i) => !Object.is(v, want[i]));
  expect(at, `first difference at ${at}: got ${got[at]}, want ${want[at]}`).toBe(-1);
}
const RATES = [0.2, 0.5, 0.9];

/** x * multiplier in f32, the reference output. */
function reference(x: Float32Array, rate: number, seed: number, counter: number): Float32Array {
  const m = dropoutMultipliers(x.length, rate, dropoutKeys(seed, counter));
  return x.map((v, i) => Math.fround(v * m[i]!));
}

describe.each(KERNEL_VARIANTS)('StatelessDropout, $kernelIsa build, $threads thread(s)', (variant) => {
  let backend = '';
  beforeAll(async () => {
    backend = (await openWasm(variant)).tfjsName;
  });

  test.each(SIZES.flatMap((n, i) => RATES.map((rate) => ({ n, rate, seed: 1000 * i + 7 }))))(
    'equals the scalar reference: n=$n rate=$rate',
    ({ n, rate, seed }) => {
      const x = randomTensor([n], seed);
      const got = runKernelOn(backend, STATELESS_DROPOUT, { x }, { rate, seed, counter: 3 });
      expectSame(got, reference(x.data, rate, seed, 3));
    },
  );

  test.each(RATES)('keeps about 1 - rate of the elements, scaled exactly: rate %f', (rate) => {
    const x = randomTensor([401_408], 5);
    const got = runKernelOn(backend, STATELESS_DROPOUT, { x }, { rate, seed: 42, counter: 0 });
    const scale = keepScale(rate);
    let kept = 0;
    let misscaled = 0;
    got.forEach((v, i) => {
      if (v === 0) return;
      kept++;
      if (v !== Math.fround(x.data[i]! * scale)) misscaled++;
    });
    expect(misscaled).toBe(0);
    const p = 1 - rate;
    // Within 5 standard deviations of a binomial draw.
    expect(Math.abs(kept / x.data.length - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / x.data.length));
  });
});

describe('StatelessDropout masks', () => {
  const maskOf = (seed: number, counter: number, n = 4096): Float32Array => dropoutMultipliers(n, 0.5, dropoutKeys(seed, counter));
  const agreement = (a: Float32Array, b: Float32Array): number => a.filter((v, i) => v === b[i]).length / a.length;

  test('differ between calls and between seeds, agreeing on about half the elements at rate 0.5', () => {
    for (const [a, b] of [
      [maskOf(1, 0), maskOf(1, 1)],
      [maskOf(1, 0), maskOf(2, 0)],
      [maskOf(0, 0), maskOf(0, 1)],
    ]) {
      expect(Math.abs(agreement(a!, b!) - 0.5)).toBeLessThan(0.05);
    }
  });

  test('have no correlation between neighbouring elements', () => {
    const m = maskOf(9, 4, 1 << 16);
    let same = 0;
    for (let i = 1; i < m.length; i++) if (m[i] === m[i - 1]) same++;
    expect(Math.abs(same / (m.length - 1) - 0.5)).toBeLessThan(0.02);
  });

  test('are the same on the CPU backend (JS mask) and ours (kernel), forward and backward', async () => {
    const x = randomTensor([37, 53], 3);
    const dy = randomTensor([37, 53], 4);
    const run = (): { y: Float32Array; dx: Float32Array } =>
      tf.tidy(() => {
        const xt = tf.tensor(x.data, x.shape);
        const dyt = tf.tensor(dy.data, dy.shape);
        const grad = tf.grad((t: tf.Tensor) => statelessDropout(t, 0.3, 11, 2));
        return { y: statelessDropout(xt, 0.3, 11, 2).dataSync() as Float32Array, dx: grad(xt, dyt).dataSync() as Float32Array };
      });
    await tf.setBackend('cpu');
    const cpu = run();
    await openWasm({ threads: 2 });
    const ours = run();
    expectSame(ours.y, cpu.y);
    expectSame(ours.dx, cpu.dx);
    expectSame(cpu.y, reference(x.data, 0.3, 11, 2));
    expectSame(cpu.dx, reference(dy.data, 0.3, 11, 2));
  });
});
