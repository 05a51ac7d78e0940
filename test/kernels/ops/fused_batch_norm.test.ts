// FusedBatchNorm's forward pass on our backend against the CPU backend, bit for bit (Object.is per element, so
// -0 and NaN count): both compute offset + ((x - mean) * scale) / sqrt(variance + epsilon) in float64 and round
// once. Parameters of one element or one per channel, absent scale and offset, channel counts off the 4-wide
// vectors, and tensors large enough to split across threads.
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { openWasm } from '../../../src/backends/wasm.js';
import { seededRandom } from '../../../src/util/random.js';
import { expectClose } from '../../support/expect_close.js';
import { KERNEL_VARIANTS } from '../../support/kernels/network_shapes.js';
import { type HostTensor, runKernelOn, runOpOn } from '../../support/kernels/run_kernel.js';

/** A parameter's length: one per channel, one for all, or absent (scale and offset only). */
type Size = 'C' | 1 | 'none';

interface Case {
  x: [number, number, number, number];
  mean: Size;
  variance: Size;
  offset: Size;
  scale: Size;
  epsilon?: number;
}

const all = (x: Case['x'], size: Size, epsilon?: number): Case => ({ x, mean: size, variance: size, offset: size, scale: size, epsilon });

const CASES: readonly Case[] = [
  all([2, 5, 7, 6], 'C'),
  all([1, 4, 3, 3], 'C'),
  all([3, 2, 2, 1], 'C'),
  all([1, 1, 1, 13], 'C', 1e-5),
  all([2, 3, 4, 8], 1),
  all([1, 3, 3, 2], 1),
  { x: [2, 9, 9, 16], mean: 'C', variance: 'C', offset: 'none', scale: 'none' },
  { x: [1, 6, 5, 7], mean: 1, variance: 'C', offset: 1, scale: 'C', epsilon: 0.1 },
  { x: [2, 4, 4, 5], mean: 'C', variance: 1, offset: 'none', scale: 1 },
  { x: [1, 3, 5, 3], mean: 'C', variance: 'C', offset: 'C', scale: 'none' },
  // 2^17 elements and more: split across threads; VGG's widest batch-norm layer's channels.
  all([2, 32, 32, 67], 'C'),
  all([4, 28, 28, 64], 'C'),
  { x: [1, 64, 64, 33], mean: 1, variance: 'C', offset: 'C', scale: 1 },
  all([1, 256, 260, 2], 'C'),
];

const name = (c: Case): string =>
  `x${c.x.join('x')} mean ${c.mean} variance ${c.variance} offset ${c.offset} scale ${c.scale}${c.epsilon === undefined ? '' : ` epsilon ${c.epsilon}`}`;

/** x whose terms a float32 computation would round differently: mixed magnitudes, signed zeros, sparse ±Infinity and NaN. */
function xTensor(shape: number[], random: () => number): HostTensor {
  const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
  const odd = [Infinity, -Infinity, NaN, -0, 0];
  for (let i = 0; i < data.length; i++) {
    const sign = random() < 0.5 ? -1 : 1;
    data[i] =
      i % 53 === 11
        ? odd[Math.floor(i / 53) % odd.length]!
        : [1 + Math.floor(random() * 8) * 2 ** -23, sign * 1e-8 * (1 + random()), sign * 3e5 * (1 + random()), sign * random() * 3][Math.floor(random() * 4)]!;
  }
  return { shape, data };
}

/** A parameter of `size` elements: `kind` picks the range (variances non-negative, some zero; means and offsets with zeros of both signs). */
function param(size: number, kind: 'mean' | 'variance' | 'offset' | 'scale', random: () => number): HostTensor {
  const data = Float32Array.from({ length: size }, (_, i) => {
    const v = random() * 2 - 1;
    if (kind === 'variance') return i % 5 === 1 ? 0 : Math.abs(v) * 4 + (i % 3 === 0 ? 1e-7 : 0);
    if (i % 4 === 2) return kind === 'scale' ? 1 : i % 8 === 2 ? -0 : 0;
    return kind === 'scale' ? v * 2 : v;
  });
  return { shape: [size], data };
}

function inputs(c: Case, seed: number): Record<string, HostTensor> {
  const random = seededRandom(seed);
  const channels = c.x[3];
  const out: Record<string, HostTensor> = { x: xTensor(c.x, random) };
  for (const key of ['mean', 'variance', 'offset', 'scale'] as const) {
    const size = c[key];
    if (size !== 'none') out[key] = param(size === 'C' ? channels : 1, key, random);
  }
  return out;
}

/** Same values bit for bit; the message names the first difference. */
function expectSame(got: Float32Array, want: Float32Array): void {
  expect(got.length).toBe(want.length);
  const at = want.findIndex((v, i) => !Object.is(got[i], v));
  expect(at, `first difference at ${at}: got ${got[at]}, want ${want[at]}`).toBe(-1);
}

describe.each(KERNEL_VARIANTS)('FusedBatchNorm, $kernelIsa build, $threads thread(s)', (variant) => {
  let wasm = '';
  beforeAll(async () => {
    wasm = (await openWasm(variant)).tfjsName;
  });

  test.each(CASES.map((c, i) => ({ c, seed: 600 + i, name: name(c) })))('equals the CPU backend: $name', ({ c, seed }) => {
    const given = inputs(c, seed);
    const attrs = c.epsilon === undefined ? {} : { varianceEpsilon: c.epsilon };
    expectSame(runKernelOn(wasm, 'FusedBatchNorm', given, attrs), runKernelOn('cpu', 'FusedBatchNorm', given, attrs));
  });

  // tf.batchNorm reshapes x of rank 1-3 to rank 4 before the kernel; the result must not depend on it.
  test('tf.batchNorm of ranks 1 to 3 equals the CPU backend', () => {
    const random = seededRandom(7);
    for (const shape of [[11], [6, 5], [3, 4, 9]]) {
      const c = shape[shape.length - 1]!;
      const x = xTensor(shape, random);
      const [m, v, o, s] = (['mean', 'variance', 'offset', 'scale'] as const).map((k) => param(c, k, random));
      const op = (): tf.Tensor =>
        tf.batchNorm(tf.tensor(x.data, x.shape), tf.tensor1d(m!.data), tf.tensor1d(v!.data), tf.tensor1d(o!.data), tf.tensor1d(s!.data), 0.001);
      expectSame(runOpOn(wasm, op), runOpOn('cpu', op));
    }
  });

  // Parameters the CPU cycles along the flat data at a length that is not the channel count: the stock kernel,
  // which computes in float32.
  test('parameters of another length run the stock kernel, close to the CPU backend', () => {
    const random = seededRandom(8);
    const given = { x: xTensor([1, 2, 3, 4], random), mean: param(8, 'mean', random), variance: param(8, 'variance', random) };
    // The stock kernel has no default epsilon (tf.batchNorm always passes one).
    const attrs = { varianceEpsilon: 0.001 };
    given.x.data.forEach((v, i) => {
      if (!Number.isFinite(v)) given.x.data[i] = 0.5;
    });
    expectClose(runKernelOn(wasm, 'FusedBatchNorm', given, attrs), runKernelOn('cpu', 'FusedBatchNorm', given, attrs), 1e-6);
  });
});
