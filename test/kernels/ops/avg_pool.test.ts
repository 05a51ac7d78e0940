// AvgPool and AvgPoolGrad on our backend against the CPU backend, bit for bit (Object.is per element, so -0 and
// NaN count): both sum float32 values in float64 in the CPU's order and round once, on inputs whose windows mix
// magnitudes so that any float32 partial sum would round differently.
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { openWasm } from '../../../src/backends/wasm.js';
import { seededRandom } from '../../../src/util/random.js';
import { KERNEL_VARIANTS } from '../../support/kernels/network_shapes.js';
import { POOL_CASES, type PoolCase } from '../../support/kernels/pool_cases.js';
import { type HostTensor, runKernelOn } from '../../support/kernels/run_kernel.js';

const pool = (x: PoolCase['x'], f: number, s: number, pad: PoolCase['pad'], name: string): PoolCase => ({
  name: `${name}: x${x.join('x')} f${f} s${s} ${pad}`,
  x,
  filterSize: [f, f],
  strides: [s, s],
  pad,
});

const CASES: readonly PoolCase[] = [
  ...POOL_CASES,
  pool([2, 56, 56, 6], 2, 2, 'valid', 'LeNet pool 1'),
  pool([2, 28, 28, 16], 2, 2, 'valid', 'LeNet pool 2'),
  // 'same' on odd sides: corner windows count 4 taps, edges 6, the rest 9.
  pool([1, 7, 7, 5], 3, 2, 'same', 'same, odd'),
  pool([2, 9, 5, 3], 3, 2, 'same', 'same, odd, c < 4'),
  pool([1, 11, 13, 9], 4, 3, 'same', 'same, even filter'),
  // The CPU's identity: a 1x1 filter that keeps the shape, although padding moves every window.
  pool([1, 2, 2, 3], 1, 2, 1, 'identity, padded'),
  pool([2, 5, 3, 7], 1, 1, 'valid', 'identity'),
  // Windows wholly in the padding: 0/0 = NaN forward; dx elements no window covers.
  pool([1, 2, 2, 5], 1, 1, 1, 'empty windows'),
  pool([1, 3, 3, 6], 2, 2, 2, 'empty windows, overlap-free'),
  pool([2, 4, 5, 2], 2, 3, 3, 'empty windows, c < 4'),
];

const outShape = (c: PoolCase): number[] => tf.backend_util.computePool2DInfo(c.x, c.filterSize, c.strides, 1, c.pad).outShape;

/**
 * Values a float32 running sum would round: 1 + k·2^-23 beside 1e-8 and 3e5 in one window, signed zeros, and
 * with `specials` also ±Infinity and NaN, one element in 41.
 */
function roundingTensor(shape: number[], seed: number, specials: boolean): HostTensor {
  const random = seededRandom(seed);
  const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
  const odd = [Infinity, -Infinity, NaN, -0];
  for (let i = 0; i < data.length; i++) {
    const sign = random() < 0.5 ? -1 : 1;
    const kind = Math.floor(random() * 5);
    data[i] =
      specials && i % 41 === 7
        ? odd[Math.floor(i / 41) % 4]!
        : [1 + Math.floor(random() * 8) * 2 ** -23, sign * 1e-8 * (1 + random()), sign * 3e5 * (1 + random()), sign * random(), -0][kind]!;
  }
  return { shape, data };
}

/** Same values bit for bit; the message names the first difference. */
function expectSame(got: Float32Array, want: Float32Array): void {
  expect(got.length).toBe(want.length);
  const at = want.findIndex((v, i) => !Object.is(got[i], v));
  expect(at, `first difference at ${at}: got ${got[at]}, want ${want[at]}`).toBe(-1);
}

describe.each(KERNEL_VARIANTS)('AvgPool and AvgPoolGrad, $kernelIsa build, $threads thread(s)', (variant) => {
  let wasm = '';
  beforeAll(async () => {
    wasm = (await openWasm(variant)).tfjsName;
  });

  describe.each([false, true])('with infinities and NaN: %s', (specials) => {
    test.each(CASES.map((c, i) => ({ ...c, seed: 400 + i })))('AvgPool equals the CPU backend: $name', (c) => {
      const inputs = { x: roundingTensor(c.x, c.seed, specials) };
      const attrs = { filterSize: c.filterSize, strides: c.strides, pad: c.pad };
      expectSame(runKernelOn(wasm, 'AvgPool', inputs, attrs), runKernelOn('cpu', 'AvgPool', inputs, attrs));
    });

    test.each(CASES.map((c, i) => ({ ...c, seed: 500 + i })))('AvgPoolGrad equals the CPU backend: $name', (c) => {
      const inputs = { dy: roundingTensor(outShape(c), c.seed, specials), input: roundingTensor(c.x, c.seed + 1, false) };
      const attrs = { filterSize: c.filterSize, strides: c.strides, pad: c.pad };
      expectSame(runKernelOn(wasm, 'AvgPoolGrad', inputs, attrs), runKernelOn('cpu', 'AvgPoolGrad', inputs, attrs));
    });
  });

  // A window of -0 sums to +0 from the CPU's +0 start, forward and backward; a stride-2 1x1 window is no identity.
  test('windows of -0 give +0, as the CPU backend', () => {
    const x: HostTensor = { shape: [1, 6, 6, 5], data: new Float32Array(180).fill(-0) };
    for (const [f, s] of [
      [2, 2],
      [1, 2],
      [3, 1],
    ] as const) {
      const attrs = { filterSize: [f, f], strides: [s, s], pad: 'valid' };
      const got = runKernelOn(wasm, 'AvgPool', { x }, attrs);
      expectSame(got, runKernelOn('cpu', 'AvgPool', { x }, attrs));
      expect(got.every((v) => Object.is(v, 0))).toBe(true);
      const dyShape = tf.backend_util.computePool2DInfo([1, 6, 6, 5], [f, f], [s, s], 1, 'valid').outShape;
      const dy: HostTensor = { shape: dyShape, data: new Float32Array(tf.util.sizeFromShape(dyShape)).fill(-0) };
      expectSame(runKernelOn(wasm, 'AvgPoolGrad', { dy, input: x }, attrs), runKernelOn('cpu', 'AvgPoolGrad', { dy, input: x }, attrs));
    }
  });

  // Rounding the output size up adds windows that hang past the input's end: fewer taps, or none (NaN).
  test.each(['ceil', 'round', 'floor'] as const)('AvgPool with dimRoundingMode %s equals the CPU backend', (dimRoundingMode) => {
    for (const [shape, f, s, pad] of [
      [[1, 5, 5, 6], 2, 2, 0],
      [[2, 4, 4, 5], 3, 2, 1],
      [[1, 7, 6, 3], 1, 3, 2],
    ] as const) {
      const inputs = { x: roundingTensor([...shape], f + s + pad, false) };
      const attrs = { filterSize: [f, f], strides: [s, s], pad, dimRoundingMode };
      expectSame(runKernelOn(wasm, 'AvgPool', inputs, attrs), runKernelOn('cpu', 'AvgPool', inputs, attrs));
    }
  });

  test('the identity case shares the input, as tf.avgPool on the CPU backend returns x', () => {
    const x = roundingTensor([1, 2, 2, 3], 9, true);
    tf.setBackend(wasm);
    const got = tf.tidy(() => tf.avgPool(tf.tensor4d(x.data, [1, 2, 2, 3]), 1, 2, 1).dataSync());
    expectSame(Float32Array.from(got), x.data);
  });
});
