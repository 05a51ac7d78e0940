import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import { openWasm } from '../../../src/backends/wasm.js';
import { kernelContext } from '../../../src/kernels/call/context.js';
import { expectClose } from '../../support/expect_close.js';
import { CONV_CASES, LENET_CONV_CASES, NCHW_CASES } from '../../support/kernels/conv_cases.js';
import { FUSED_ACTIVATIONS } from '../../support/kernels/matmul_cases.js';
import { KERNEL_VARIANTS, QUICK_KERNEL_VARIANTS } from '../../support/kernels/network_shapes.js';
import { conv2dOutShape, randomTensor, runKernelOn, toNchw } from '../../support/kernels/run_kernel.js';

describe.each(QUICK_KERNEL_VARIANTS)('Conv2D and FusedConv2D on our WASM backend (%o)', (variant) => {
  let wasm = '';
  beforeAll(async () => {
    wasm = (await openWasm(variant)).tfjsName;
  });

  test.each(CONV_CASES)('Conv2D matches the CPU backend: $name', (c) => {
    const inputs = { x: randomTensor(c.x, 1), filter: randomTensor(c.filter, 2) };
    const attrs = { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', dilations: 1 };
    const k = c.filter[0] * c.filter[1] * c.filter[2];
    expectClose(runKernelOn(wasm, 'Conv2D', inputs, attrs), runKernelOn('cpu', 'Conv2D', inputs, attrs), 2e-6 * Math.sqrt(k) + 1e-6);
  });

  test.each(CONV_CASES)('FusedConv2D with bias and ReLU matches the CPU backend: $name', (c) => {
    const inputs = { x: randomTensor(c.x, 3), filter: randomTensor(c.filter, 4), bias: randomTensor([c.filter[3]], 5) };
    const k = c.filter[0] * c.filter[1] * c.filter[2];
    for (const activation of ['relu', 'linear']) {
      const attrs = { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', dilations: 1, activation };
      expectClose(runKernelOn(wasm, 'FusedConv2D', inputs, attrs), runKernelOn('cpu', 'FusedConv2D', inputs, attrs), 2e-6 * Math.sqrt(k) + 1e-6);
    }
  });

  test('cases our kernel does not cover run the stock kernel (dilation 2, elu)', () => {
    const inputs = { x: randomTensor([2, 9, 9, 3], 6), filter: randomTensor([3, 3, 3, 5], 7), bias: randomTensor([5], 8) };
    const dilated = { strides: 1, pad: 'same', dataFormat: 'NHWC', dilations: 2 };
    expectClose(runKernelOn(wasm, 'Conv2D', inputs, dilated), runKernelOn('cpu', 'Conv2D', inputs, dilated), 1e-5);
    const elu = { strides: 1, pad: 'valid', dataFormat: 'NHWC', dilations: 1, activation: 'elu' };
    expectClose(runKernelOn(wasm, 'FusedConv2D', inputs, elu), runKernelOn('cpu', 'FusedConv2D', inputs, elu), 1e-5);
  });

  test.each(NCHW_CASES)('NCHW Conv2D and FusedConv2D match the CPU backend: $name', (c) => {
    const inputs = { x: toNchw(randomTensor(c.x, 40)), filter: randomTensor(c.filter, 41), bias: randomTensor([c.filter[3]], 42) };
    const k = c.filter[0] * c.filter[1] * c.filter[2];
    const attrs = { strides: c.strides, pad: c.pad, dataFormat: 'NCHW', dilations: 1 };
    expectClose(runKernelOn(wasm, 'Conv2D', inputs, attrs), runKernelOn('cpu', 'Conv2D', inputs, attrs), 2e-6 * Math.sqrt(k) + 1e-6);
    for (const activation of ['relu', 'elu']) {
      const fused = { ...attrs, activation };
      expectClose(runKernelOn(wasm, 'FusedConv2D', inputs, fused), runKernelOn('cpu', 'FusedConv2D', inputs, fused), 2e-6 * Math.sqrt(k) + 1e-6);
    }
  });

  test('NCHW with explicit padding matches the CPU backend (the pads list NCHW dimensions)', () => {
    const inputs = { x: toNchw(randomTensor([2, 7, 6, 3], 43)), filter: randomTensor([3, 2, 3, 5], 44) };
    const attrs = {
      strides: [1, 2],
      pad: [
        [0, 0],
        [0, 0],
        [2, 1],
        [0, 1],
      ],
      dataFormat: 'NCHW',
      dilations: 1,
    };
    expectClose(runKernelOn(wasm, 'Conv2D', inputs, attrs), runKernelOn('cpu', 'Conv2D', inputs, attrs), 1e-5);
  });

  // Every activation tfjs fuses, with a bias per channel, one broadcast over rows and channels, or none.
  test.each(FUSED_ACTIVATIONS)('FusedConv2D with activation %s matches the CPU backend for every bias', (activation) => {
    for (const c of [CONV_CASES[1]!, CONV_CASES[4]!]) {
      const out = conv2dOutShape(c.x, c.filter, c.strides, c.pad);
      const k = c.filter[0] * c.filter[1] * c.filter[2];
      for (const bias of [[out[3]!], [out[2]!, out[3]!], [1], undefined]) {
        const inputs = {
          x: randomTensor(c.x, 43),
          filter: randomTensor(c.filter, 44),
          ...(bias === undefined ? {} : { bias: randomTensor(bias, 45) }),
          ...(activation === 'prelu' ? { preluActivationWeights: randomTensor([out[3]!], 46) } : {}),
        };
        const attrs = { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', dilations: 1, activation, leakyreluAlpha: 0.3 };
        expectClose(runKernelOn(wasm, 'FusedConv2D', inputs, attrs), runKernelOn('cpu', 'FusedConv2D', inputs, attrs), 2e-6 * Math.sqrt(k) + 1e-6);
      }
    }
  });

  test('output shape follows tfjs for every case', () => {
    for (const c of CONV_CASES) {
      const inputs = { x: randomTensor(c.x, 9), filter: randomTensor(c.filter, 10) };
      const got = runKernelOn(wasm, 'Conv2D', inputs, { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', dilations: 1 });
      const shape = conv2dOutShape(c.x, c.filter, c.strides, c.pad);
      if (got.length !== shape.reduce((a, b) => a * b, 1)) throw new Error(`${c.name}: ${got.length} values for shape ${shape}`);
    }
  });
});

// Winograd: each case runs the output tile its shape calls for (2x2 or 4x4), on every thread count, in
// both builds, with bias and ReLU in the output transform.
describe.each(KERNEL_VARIANTS)('FusedConv2D by Winograd tiles (%o)', (variant) => {
  let wasm = '';
  beforeAll(async () => {
    wasm = (await openWasm(variant)).tfjsName;
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  const cases = CONV_CASES.filter((c) => c.winograd !== undefined);
  test.each(cases)('matches the CPU backend in the tile it chose: $name', (c) => {
    const inputs = { x: randomTensor(c.x, 50), filter: randomTensor(c.filter, 51), bias: randomTensor([c.filter[3]], 52) };
    const attrs = { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', dilations: 1, activation: 'relu' };
    const k = c.filter[0] * c.filter[1] * c.filter[2];
    const calls = vi.spyOn(kernelContext(tf.findBackend(wasm)).pool, 'parallelFor');
    const got = runKernelOn(wasm, 'FusedConv2D', inputs, attrs);
    const names = calls.mock.calls.map((call) => call[0]);
    const e = c.winograd?.forward;
    expect(names).toEqual([`f32_conv2d_winograd_filter_${e}x${e}_3x3__wasmsimd`, `f32_conv2d_winograd_${e}x${e}_3x3__wasmsimd`]);
    expectClose(got, runKernelOn('cpu', 'FusedConv2D', inputs, attrs), 2e-6 * Math.sqrt(k) + 1e-6);
  });
});

// The direct kernels for LeNet's first layer (one input channel, 6 outputs: padded to 8) and for the
// input gradient with one channel: checked on every thread count, and that they are the ones that ran.
describe.each(KERNEL_VARIANTS)('FusedConv2D with one input channel by the direct kernel (%o)', (variant) => {
  let wasm = '';
  beforeAll(async () => {
    wasm = (await openWasm(variant)).tfjsName;
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  const cases = [LENET_CONV_CASES[0]!, ...CONV_CASES.filter((c) => c.filter[2] === 1 && c.filter[3] > 1)];
  test.each(cases)('matches the CPU backend with bias and ReLU: $name', (c) => {
    const inputs = { x: randomTensor(c.x, 47), filter: randomTensor(c.filter, 48), bias: randomTensor([c.filter[3]], 49) };
    const attrs = { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', dilations: 1, activation: 'relu' };
    const k = c.filter[0] * c.filter[1] * c.filter[2];
    const calls = vi.spyOn(kernelContext(tf.findBackend(wasm)).pool, 'parallelFor');
    const got = runKernelOn(wasm, 'FusedConv2D', inputs, attrs);
    const names = new Set(calls.mock.calls.map((call) => call[0]));
    expect(names).toContain('f32_conv2d_c1_direct__wasmsimd');
    expectClose(got, runKernelOn('cpu', 'FusedConv2D', inputs, attrs), 2e-6 * Math.sqrt(k) + 1e-6);
  });
});
