// Relu and its gradient, Step, Multiply, Identity and Cast on our backend against the CPU backend, bit for bit (signed
// zeros and NaN included): each is one correctly rounded f32 operation per element, or none.

import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, test } from 'vitest';
import '@tensorflow/tfjs-backend-cpu';
// Registers tfjs's gradients, as a program training with tfjs-layers (or the tfjs package) has them.
import '@tensorflow/tfjs-layers';
import { openWasm } from '../../../src/backends/wasm.js';
import { reluGrad } from '../../../src/kernels/ops/relu_grad.js';
import { KERNEL_VARIANTS } from '../../support/kernels/network_shapes.js';
import { type HostTensor, randomTensor } from '../../support/kernels/run_kernel.js';

// Odd sizes, below and above the size at which kernels split across threads (2^17 elements); last axes of
// whole vectors too, which a per-channel product takes four at a time.
const SHAPES = [[1], [7], [3, 5, 7], [257, 259], [3, 257, 259], [5, 9, 12], [65, 33, 64]];

/** Random values with the awkward ones sprinkled in: zeros of both signs, NaN, infinities. */
function awkward(shape: number[], seed: number): HostTensor {
  const t = randomTensor(shape, seed);
  const specials = [0, -0, NaN, Infinity, -Infinity];
  for (let i = 0; i < t.data.length; i += 97) t.data[i] = specials[(i / 97) % specials.length]!;
  return t;
}

/** Runs `op` on inputs made on `backend` and returns the output's values and shape. */
function run(backend: string, inputs: HostTensor[], op: (...xs: tf.Tensor[]) => tf.Tensor, dtype: tf.DataType = 'float32'): Output {
  tf.setBackend(backend);
  return tf.tidy(() => {
    const out = op(...inputs.map((t) => tf.tensor(t.data, t.shape, dtype)));
    return { values: out.dataSync(), shape: out.shape };
  });
}

/** An op's result as plain data. */
interface Output {
  values: ArrayLike<number>;
  shape: number[];
}

/** Same shape, and the same values bit for bit (Object.is: -0 is not 0, NaN is NaN). */
function expectSame(got: Output, want: Output): void {
  expect(got.shape).toEqual(want.shape);
  expect(got.values.length).toBe(want.values.length);
  let at = -1;
  for (let i = 0; i < want.values.length && at < 0; i++) if (!Object.is(got.values[i], want.values[i])) at = i;
  expect(at, `first difference at ${at}: got ${got.values[at]}, want ${want.values[at]}`).toBe(-1);
}

const UNARY: ReadonlyArray<{ name: string; op: (x: tf.Tensor) => tf.Tensor }> = [
  { name: 'relu', op: (x) => tf.relu(x) },
  { name: 'step', op: (x) => tf.step(x) },
  { name: 'step alpha -0.5', op: (x) => tf.step(x, -0.5) },
  { name: 'identity (clone)', op: (x) => tf.clone(x) },
  { name: 'cast to its own dtype', op: (x) => tf.cast(x, 'float32') },
];

const BINARY: ReadonlyArray<{ name: string; b: (shape: number[]) => number[]; swap?: boolean }> = [
  { name: 'same shape', b: (shape) => shape },
  { name: 'scalar', b: () => [] },
  { name: 'scalar first', b: () => [], swap: true },
  { name: '[1, 1] scalar', b: () => [1, 1] },
  { name: 'vector along the last axis', b: (shape) => [shape[shape.length - 1]!] },
  { name: '[1, .., 1, C] vector first', b: (shape) => shape.map((d, i) => (i === shape.length - 1 ? d : 1)), swap: true },
  // Batch norm's gradient multiplies by its [C] scale on either side of the NHWC tensor.
  { name: 'vector along the last axis, first', b: (shape) => [shape[shape.length - 1]!], swap: true },
  { name: '[1, .., 1, C] vector', b: (shape) => shape.map((d, i) => (i === shape.length - 1 ? d : 1)) },
  // Softmax cross-entropy's gradient: [N, 1] by [N, C], a broadcast our kernels leave to the stock one.
  { name: 'broadcast along the last axis (stock kernel)', b: (shape) => shape.map((d, i) => (i === shape.length - 1 ? 1 : d)) },
  { name: 'broadcast along the first axis (stock kernel)', b: (shape) => shape.map((d, i) => (i === 0 ? d : 1)) },
];

describe.each(KERNEL_VARIANTS)('elementwise kernels, $kernelIsa build, $threads thread(s)', (variant) => {
  let backend = '';
  beforeAll(async () => {
    backend = (await openWasm(variant)).tfjsName;
  });

  describe.each(UNARY)('$name', ({ op }) => {
    test.each(SHAPES)('equals the CPU backend on %j', (...shape) => {
      const x = awkward(shape, shape.length);
      expectSame(run(backend, [x], op), run('cpu', [x], op));
    });
  });

  describe.each(BINARY)('multiply, $name', ({ b, swap }) => {
    test.each(SHAPES)('equals the CPU backend on %j', (...shape) => {
      const inputs = [awkward(shape, 1), randomTensor(b(shape), 2)];
      if (swap === true) inputs.reverse();
      const op = (x: tf.Tensor, y: tf.Tensor): tf.Tensor => tf.mul(x, y);
      expectSame(run(backend, inputs, op), run('cpu', inputs, op));
    });
  });

  test.each(SHAPES)("reluGrad equals tfjs's relu gradient on the CPU backend on %j, through one ReluGrad kernel", async (...shape) => {
    const inputs = [awkward(shape, 3), randomTensor(shape, 4)];
    const ours = (x: tf.Tensor, dy: tf.Tensor): tf.Tensor => reluGrad(dy, x);
    const tfjs = (x: tf.Tensor, dy: tf.Tensor): tf.Tensor => tf.grad((t: tf.Tensor) => tf.relu(t))(x, dy);
    expectSame(run(backend, inputs, ours), run('cpu', inputs, tfjs));
    tf.setBackend(backend);
    const x = tf.tensor(inputs[0]!.data, shape);
    const { kernelNames } = await tf.profile(() => ours(x, x));
    expect(kernelNames).toEqual(['ReluGrad']);
    x.dispose();
  });

  test("tfjs's own relu gradient gives the same values on our backend as on the CPU backend", () => {
    const inputs = [awkward([7, 9], 3), randomTensor([7, 9], 4)];
    const tfjs = (x: tf.Tensor, dy: tf.Tensor): tf.Tensor => tf.grad((t: tf.Tensor) => tf.relu(t))(x, dy);
    expectSame(run(backend, inputs, tfjs), run('cpu', inputs, tfjs));
  });

  test('ReluGrad given tensors its kernel does not take (x of another shape, or int32) is mul(dy, cast(step(x)))', () => {
    const dy = awkward([3, 5], 5);
    const x = randomTensor([5], 6);
    const reference = (d: tf.Tensor, t: tf.Tensor): tf.Tensor => tf.mul(d, tf.cast(tf.step(t), 'float32'));
    const kernel = (d: tf.Tensor, t: tf.Tensor): tf.Tensor => tf.engine().runKernel('ReluGrad', { dy: d, x: t }) as tf.Tensor;
    expectSame(run(backend, [dy, x], kernel), run('cpu', [dy, x], reference));
    tf.setBackend(backend);
    const ints = tf.tidy(() => (kernel(tf.tensor([1, -2, 3]), tf.tensor([4, -5, 0], [3], 'int32')) as tf.Tensor).dataSync());
    expect(Array.from(ints)).toEqual([1, -0, 0]);
  });

  test("integer products and casts run tfjs's own kernels", () => {
    const a = { shape: [5], data: new Float32Array([1, -2, 3, 40000, 5]) };
    expectSame(
      run(backend, [a, a], (x, y) => tf.mul(x, y), 'int32'),
      run('cpu', [a, a], (x, y) => tf.mul(x, y), 'int32'),
    );
    const f = { shape: [4], data: new Float32Array([1.5, -2.5, 0, 7.9]) };
    expectSame(
      run(backend, [f], (x) => tf.cast(x, 'int32')),
      run('cpu', [f], (x) => tf.cast(x, 'int32')),
    );
  });

  test("an identity shares its input's data, which outlives the input", () => {
    tf.setBackend(backend);
    const x = tf.tensor([1, 2, 3]);
    const y = tf.clone(x);
    x.dispose();
    expect(Array.from(y.dataSync())).toEqual([1, 2, 3]);
    y.dispose();
  });
});
