import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { openWasm } from '../../../src/backends/wasm.js';
import { MAX_POOL_RELU_GRAD } from '../../../src/kernels/ops/max_pool_grad.js';
import { expectClose } from '../../support/expect_close.js';
import { KERNEL_VARIANTS } from '../../support/kernels/network_shapes.js';
import { POOL_CASES } from '../../support/kernels/pool_cases.js';
import { randomTensor, runKernelOn } from '../../support/kernels/run_kernel.js';

const CASES = POOL_CASES;

function outShape(c: (typeof POOL_CASES)[number]): number[] {
  return tf.backend_util.computePool2DInfo(c.x, c.filterSize, c.strides, 1, c.pad).outShape;
}

describe.each(KERNEL_VARIANTS)('MaxPool and MaxPoolGrad on our WASM backend (%o)', (variant) => {
  let wasm = '';
  beforeAll(async () => {
    wasm = (await openWasm(variant)).tfjsName;
  });

  test.each(CASES)('MaxPool matches the CPU backend: $name', (c) => {
    const inputs = { x: randomTensor(c.x, 31) };
    const attrs = { filterSize: c.filterSize, strides: c.strides, pad: c.pad };
    const got = runKernelOn(wasm, 'MaxPool', inputs, attrs);
    const want = runKernelOn('cpu', 'MaxPool', inputs, attrs);
    // A window wholly in the padding is -Infinity in both; expectClose measures finite differences only.
    const empty = (v: Float32Array): number[] => [...v.keys()].filter((i) => v[i] === -Infinity);
    expect(empty(got)).toEqual(empty(want));
    expectClose(
      got.map((v) => (v === -Infinity ? 0 : v)),
      want.map((v) => (v === -Infinity ? 0 : v)),
      0,
    );
  });

  // After a ReLU many windows are all zeros: ties must send the gradient where tfjs does.
  test.each(CASES)('MaxPoolGrad matches the CPU backend, ties included: $name', (c) => {
    const attrs = { filterSize: c.filterSize, strides: c.strides, pad: c.pad };
    const input = randomTensor(c.x, 32, true);
    const output = { shape: outShape(c), data: runKernelOn('cpu', 'MaxPool', { x: input }, attrs) };
    const inputs = { dy: randomTensor(outShape(c), 33), input, output };
    // Exact except where overlapping windows add several dy: the CPU backend sums in float64.
    expectClose(runKernelOn(wasm, 'MaxPoolGrad', inputs, attrs), runKernelOn('cpu', 'MaxPoolGrad', inputs, attrs), 2e-7);
  });

  // The fused gradient of maxpool(relu(z)): MaxPoolGrad then ReluGrad, bit for bit, on a ReLU's output (ties
  // at zero) and on any input (negative maxima, whose windows the mask zeroes).
  test.each(CASES.flatMap((c) => [true, false].map((relu) => ({ ...c, relu }))))(
    'AlnumMaxPoolReluGrad is MaxPoolGrad then ReluGrad: $name, relu input $relu',
    (c) => {
      const attrs = { filterSize: c.filterSize, strides: c.strides, pad: c.pad };
      const input = randomTensor(c.x, 34, c.relu);
      const output = { shape: outShape(c), data: runKernelOn('cpu', 'MaxPool', { x: input }, attrs) };
      const inputs = { dy: randomTensor(outShape(c), 35), input, output };
      const got = runKernelOn(wasm, MAX_POOL_RELU_GRAD, inputs, attrs);
      const dx = { shape: c.x, data: runKernelOn(wasm, 'MaxPoolGrad', inputs, attrs) };
      const want = runKernelOn(wasm, 'ReluGrad', { dy: dx, x: input }, {});
      const at = got.findIndex((v, i) => !Object.is(v, want[i]));
      expect(at, `first difference at ${at}: got ${got[at]}, want ${want[at]}`).toBe(-1);
      const cpuDx = { shape: c.x, data: runKernelOn('cpu', 'MaxPoolGrad', inputs, attrs) };
      const cpu = runKernelOn('cpu', 'Multiply', { a: cpuDx, b: { shape: c.x, data: input.data.map((v) => (v > 0 ? 1 : 0)) } }, {});
      expectClose(got, cpu, 2e-7);
    },
  );

  test('AlnumMaxPoolReluGrad with no window at all is zeros masked by step(input): NaN where the input is NaN', () => {
    const attrs = { filterSize: [3, 3], strides: [1, 1], pad: 'valid' };
    const input = randomTensor([1, 2, 2, 3], 36);
    input.data[4] = Number.NaN;
    const got = runKernelOn(
      wasm,
      MAX_POOL_RELU_GRAD,
      { dy: { shape: [1, 0, 0, 3], data: new Float32Array(0) }, input, output: { shape: [1, 0, 0, 3], data: new Float32Array(0) } },
      attrs,
    );
    expect(Array.from(got, (v, i) => (i === 4 ? Number.isNaN(v) : Object.is(v, 0)))).toEqual(new Array(12).fill(true));
  });

  // tfjs's specs `maxPoolBackprop gradient x=[4,4,1] f=[2,2] s=2` and f=1 s=1: exact tiling, channels off the vectors.
  test('MaxPoolGrad gives tfjs spec values when windows tile the input exactly', () => {
    const grad = (x: number[], shape: [number, number, number, number], dy: number[], f: number): Float32Array => {
      const attrs = { filterSize: [f, f], strides: [f, f], pad: 0 };
      const input = { shape, data: Float32Array.from(x) };
      const outShape = [shape[0], shape[1] / f, shape[2] / f, shape[3]];
      const output = { shape: outShape, data: runKernelOn('cpu', 'MaxPool', { x: input }, attrs) };
      return runKernelOn(wasm, 'MaxPoolGrad', { dy: { shape: outShape, data: Float32Array.from(dy) }, input, output }, attrs);
    };
    expectClose(grad([...Array(16).keys()], [1, 4, 4, 1], [1, 2, 3, 4], 2), [0, 0, 0, 0, 0, 1, 0, 2, 0, 0, 0, 0, 0, 3, 0, 4], 0);
    expectClose(grad([...Array(27).keys()], [1, 3, 3, 3], new Array(27).fill(2), 1), new Array(27).fill(2), 0);
  });
});
