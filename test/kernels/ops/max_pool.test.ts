import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { openWasm } from '../../../src/backends/wasm.js';
import { seededRandom } from '../../../src/util/random.js';
import { expectClose } from '../../support/expect_close.js';
import { KERNEL_VARIANTS } from '../../support/kernels/network_shapes.js';
import { randomTensor, runKernelOn } from '../../support/kernels/run_kernel.js';

interface PoolCase {
  name: string;
  x: [number, number, number, number];
  filterSize: [number, number];
  strides: [number, number];
  pad: 'valid' | 'same' | number;
}

const random = Array.from({ length: 12 }, (_, i): PoolCase => {
  const r = seededRandom(900 + i);
  const int = (lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
  const fh = int(1, 3);
  const fw = int(1, 3);
  // Strides below the filter size give overlapping windows, the gradient's per-image path.
  const c: PoolCase = {
    name: '',
    x: [i === 0 ? 1 : int(1, 3), int(fh, 13), int(fw, 13), int(1, 11)],
    filterSize: [fh, fw],
    strides: [int(1, 3), int(1, 3)],
    pad: (['valid', 'same', 1] as const)[i % 3]!,
  };
  c.name = `x${c.x.join('x')} f${c.filterSize.join('x')} s${c.strides.join(',')} ${c.pad}`;
  return c;
});

/** The CNN's three pools at batch 2: 10x10 by 3 leaves a row and column no window covers. */
const cnn: PoolCase[] = [
  [52, 32, 2],
  [24, 64, 2],
  [10, 128, 3],
].map(([size, c, f]) => ({ name: `cnn ${size}x${size}x${c} pool ${f}`, x: [2, size!, size!, c!], filterSize: [f!, f!], strides: [f!, f!], pad: 'valid' }));

const CASES = [...random, ...cnn];

function outShape(c: PoolCase): number[] {
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
});
