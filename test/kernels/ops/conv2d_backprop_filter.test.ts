import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import { openWasm } from '../../../src/backends/wasm.js';
import { kernelContext } from '../../../src/kernels/call/context.js';
import { expectClose } from '../../support/expect_close.js';
import { CONV_CASES, DY_MISMATCH_CASES, DY_SHORT_CASES, NCHW_CASES } from '../../support/kernels/conv_cases.js';
import { conv2dBackpropFilterReference } from '../../support/kernels/conv2d_backprop_filter_reference.js';
import { KERNEL_VARIANTS, QUICK_KERNEL_VARIANTS } from '../../support/kernels/network_shapes.js';
import { conv2dOutShape, randomTensor, runKernelOn, toNchw } from '../../support/kernels/run_kernel.js';

describe.each(QUICK_KERNEL_VARIANTS)('Conv2DBackpropFilter on our WASM backend (%o)', (variant) => {
  let wasm = '';
  beforeAll(async () => {
    wasm = (await openWasm(variant)).tfjsName;
  });

  test.each(CONV_CASES)('matches the CPU backend: $name', (c) => {
    const dyShape = conv2dOutShape(c.x, c.filter, c.strides, c.pad);
    const inputs = { x: randomTensor(c.x, 21), dy: randomTensor(dyShape, 22) };
    const attrs = { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', filterShape: c.filter };
    const pixels = dyShape[0]! * dyShape[1]! * dyShape[2]!;
    expectClose(
      runKernelOn(wasm, 'Conv2DBackpropFilter', inputs, attrs),
      runKernelOn('cpu', 'Conv2DBackpropFilter', inputs, attrs),
      2e-6 * Math.sqrt(pixels) + 1e-6,
    );
  });

  test.each(DY_MISMATCH_CASES)('a dy larger than the geometry derives matches the CPU backend: $name', (c) => {
    const inputs = { x: randomTensor(c.x, 25), dy: randomTensor(c.dy, 26) };
    const attrs = { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', filterShape: c.filter };
    expectClose(runKernelOn(wasm, 'Conv2DBackpropFilter', inputs, attrs), runKernelOn('cpu', 'Conv2DBackpropFilter', inputs, attrs), 1e-5);
  });

  test.each(DY_SHORT_CASES)('a dy smaller than the geometry derives counts as zero-padded: $name', (c) => {
    const x = randomTensor(c.x, 27);
    const dy = randomTensor(c.dy, 28);
    const full = conv2dOutShape(c.x, c.filter, c.strides, c.pad);
    const padded = { shape: full, data: new Float32Array(full.reduce((a, b) => a * b, 1)) };
    for (let i = 0; i < dy.data.length; i++) {
      const [n, y, xx, ch] = [
        Math.floor(i / (c.dy[1] * c.dy[2] * c.dy[3])),
        Math.floor(i / (c.dy[2] * c.dy[3])) % c.dy[1],
        Math.floor(i / c.dy[3]) % c.dy[2],
        i % c.dy[3],
      ];
      padded.data[((n * full[1]! + y) * full[2]! + xx) * full[3]! + ch] = dy.data[i]!;
    }
    const attrs = { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', filterShape: c.filter };
    expectClose(runKernelOn(wasm, 'Conv2DBackpropFilter', { x, dy }, attrs), runKernelOn('cpu', 'Conv2DBackpropFilter', { x, dy: padded }, attrs), 1e-5);
  });

  test.each(NCHW_CASES)('NCHW matches the CPU backend: $name', (c) => {
    const dyShape = conv2dOutShape(c.x, c.filter, c.strides, c.pad);
    const inputs = { x: toNchw(randomTensor(c.x, 29)), dy: toNchw(randomTensor(dyShape, 30)) };
    const attrs = { strides: c.strides, pad: c.pad, dataFormat: 'NCHW', filterShape: c.filter };
    const pixels = dyShape[0]! * dyShape[1]! * dyShape[2]!;
    expectClose(
      runKernelOn(wasm, 'Conv2DBackpropFilter', inputs, attrs),
      runKernelOn('cpu', 'Conv2DBackpropFilter', inputs, attrs),
      2e-6 * Math.sqrt(pixels) + 1e-6,
    );
  });

  test('NCHW with explicit padding matches the CPU backend (the pads list NCHW dimensions)', () => {
    // x [2, 7, 6, 3] NHWC padded by 2+1 rows and 0+1 columns under a 3x2 filter, strides 1 and 2: dy is [2, 8, 3, 5].
    const inputs = { x: toNchw(randomTensor([2, 7, 6, 3], 31)), dy: toNchw(randomTensor([2, 8, 3, 5], 32)) };
    const attrs = {
      strides: [1, 2],
      pad: [
        [0, 0],
        [0, 0],
        [2, 1],
        [0, 1],
      ],
      dataFormat: 'NCHW',
      filterShape: [3, 2, 3, 5],
    };
    expectClose(runKernelOn(wasm, 'Conv2DBackpropFilter', inputs, attrs), runKernelOn('cpu', 'Conv2DBackpropFilter', inputs, attrs), 1e-5);
  });
});

test('the scalar reference agrees with the CPU backend', async () => {
  await openWasm({ threads: 1 });
  const c = CONV_CASES[3]!;
  const dyShape = conv2dOutShape(c.x, c.filter, c.strides, c.pad);
  const x = randomTensor(c.x, 23);
  const dy = randomTensor(dyShape, 24);
  const attrs = { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', filterShape: c.filter };
  const want = runKernelOn('cpu', 'Conv2DBackpropFilter', { x, dy }, attrs);
  const info = (await import('@tensorflow/tfjs-core')).backend_util.computeConv2DInfo(c.x, c.filter, c.strides, 1, c.pad, undefined, false, 'channelsLast');
  const got = conv2dBackpropFilterReference(x.data, dy.data, {
    batch: info.batchSize,
    inHeight: info.inHeight,
    inWidth: info.inWidth,
    inChannels: info.inChannels,
    outHeight: info.outHeight,
    outWidth: info.outWidth,
    outChannels: info.outChannels,
    filterHeight: info.filterHeight,
    filterWidth: info.filterWidth,
    strideHeight: info.strideHeight,
    strideWidth: info.strideWidth,
    dilationHeight: 1,
    dilationWidth: 1,
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
  });
  expect(expectClose(got, want, 1e-5)).toBeLessThan(1e-5);
});

// Winograd: dy is cut into the tiles a forward pass would cut its output into (2x2 or 4x4), on every
// thread count, in both builds.
describe.each(KERNEL_VARIANTS)('Conv2DBackpropFilter by Winograd tiles (%o)', (variant) => {
  let wasm = '';
  beforeAll(async () => {
    wasm = (await openWasm(variant)).tfjsName;
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  const cases = CONV_CASES.filter((c) => c.winograd !== undefined);
  test.each(cases)('matches the CPU backend in the tile it chose: $name', (c) => {
    const dyShape = conv2dOutShape(c.x, c.filter, c.strides, c.pad);
    const inputs = { x: randomTensor(c.x, 55), dy: randomTensor(dyShape, 56) };
    const attrs = { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', filterShape: c.filter };
    const pixels = dyShape[0]! * dyShape[1]! * dyShape[2]!;
    const calls = vi.spyOn(kernelContext(tf.findBackend(wasm)).pool, 'parallelFor');
    const got = runKernelOn(wasm, 'Conv2DBackpropFilter', inputs, attrs);
    const names = calls.mock.calls.map((call) => call[0]);
    const e = c.winograd?.forward;
    expect(names).toEqual([
      `f32_conv2d_backprop_filter_winograd_3x3_${e}x${e}__wasmsimd`,
      `f32_conv2d_backprop_filter_winograd_reduce_3x3_${e}x${e}__wasmsimd`,
    ]);
    expectClose(got, runKernelOn('cpu', 'Conv2DBackpropFilter', inputs, attrs), 2e-6 * Math.sqrt(pixels) + 1e-6);
  });
});
