import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import { openWasm } from '../../../src/backends/wasm.js';
import { kernelContext } from '../../../src/kernels/call/context.js';
import { expectClose } from '../../support/expect_close.js';
import { CONV_CASES, DY_MISMATCH_CASES, LENET_CONV_CASES, NCHW_CASES, PHASE_CASES } from '../../support/kernels/conv_cases.js';
import { KERNEL_VARIANTS, QUICK_KERNEL_VARIANTS } from '../../support/kernels/network_shapes.js';
import { conv2dOutShape, randomTensor, runKernelOn, toNchw } from '../../support/kernels/run_kernel.js';

describe.each(QUICK_KERNEL_VARIANTS)('Conv2DBackpropInput on our WASM backend (%o)', (variant) => {
  let wasm = '';
  beforeAll(async () => {
    wasm = (await openWasm(variant)).tfjsName;
  });

  test.each(CONV_CASES)('matches the CPU backend: $name', (c) => {
    const dyShape = conv2dOutShape(c.x, c.filter, c.strides, c.pad);
    const inputs = { dy: randomTensor(dyShape, 11), filter: randomTensor(c.filter, 12) };
    const attrs = { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', inputShape: c.x };
    const terms = c.filter[0] * c.filter[1] * c.filter[3];
    expectClose(
      runKernelOn(wasm, 'Conv2DBackpropInput', inputs, attrs),
      runKernelOn('cpu', 'Conv2DBackpropInput', inputs, attrs),
      2e-6 * Math.sqrt(terms) + 1e-6,
    );
  });

  test.each(DY_MISMATCH_CASES)('a dy of another shape than the geometry derives matches the CPU backend: $name', (c) => {
    const inputs = { dy: randomTensor(c.dy, 13), filter: randomTensor(c.filter, 14) };
    const attrs = { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', inputShape: c.x };
    const terms = c.filter[0] * c.filter[1] * c.filter[3];
    expectClose(
      runKernelOn(wasm, 'Conv2DBackpropInput', inputs, attrs),
      runKernelOn('cpu', 'Conv2DBackpropInput', inputs, attrs),
      2e-6 * Math.sqrt(terms) + 1e-6,
    );
  });

  test("tfjs's conv2dTranspose spec with an 8x8 dy for a 4x4 input gives 512 first, not 517", () => {
    const c = DY_MISMATCH_CASES[0]!;
    const int = (shape: number[]) => ({ shape, data: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => i % 5) });
    const got = runKernelOn(
      wasm,
      'Conv2DBackpropInput',
      { dy: int(c.dy), filter: int(c.filter) },
      { strides: 1, pad: 'same', dataFormat: 'NHWC', inputShape: c.x },
    );
    expect(got[0]).toBe(512);
  });

  test.each(NCHW_CASES)('NCHW matches the CPU backend: $name', (c) => {
    const dyShape = conv2dOutShape(c.x, c.filter, c.strides, c.pad);
    const inputs = { dy: toNchw(randomTensor(dyShape, 15)), filter: randomTensor(c.filter, 16) };
    const inputShape = [c.x[0], c.x[3], c.x[1], c.x[2]];
    const attrs = { strides: c.strides, pad: c.pad, dataFormat: 'NCHW', inputShape };
    const terms = c.filter[0] * c.filter[1] * c.filter[3];
    expectClose(
      runKernelOn(wasm, 'Conv2DBackpropInput', inputs, attrs),
      runKernelOn('cpu', 'Conv2DBackpropInput', inputs, attrs),
      2e-6 * Math.sqrt(terms) + 1e-6,
    );
  });
});

// Winograd: the input gradient of a 3x3 stride-1 layer is a Winograd convolution of dy with the
// rotated filter, in the output tile dx's shape calls for, on every thread count, in both builds.
describe.each(KERNEL_VARIANTS)('Conv2DBackpropInput by Winograd tiles (%o)', (variant) => {
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
    const inputs = { dy: randomTensor(dyShape, 53), filter: randomTensor(c.filter, 54) };
    const attrs = { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', inputShape: c.x };
    const terms = c.filter[0] * c.filter[1] * c.filter[3];
    const calls = vi.spyOn(kernelContext(tf.findBackend(wasm)).pool, 'parallelFor');
    const got = runKernelOn(wasm, 'Conv2DBackpropInput', inputs, attrs);
    const names = calls.mock.calls.map((call) => call[0]);
    const e = c.winograd?.inputGrad;
    expect(names).toEqual([`f32_conv2d_winograd_filter_${e}x${e}_3x3__wasmsimd`, `f32_conv2d_winograd_${e}x${e}_3x3__wasmsimd`]);
    expectClose(got, runKernelOn('cpu', 'Conv2DBackpropInput', inputs, attrs), 2e-6 * Math.sqrt(terms) + 1e-6);
  });
});

describe.each(KERNEL_VARIANTS)('Conv2DBackpropInput by sub-pixel phases (%o)', (variant) => {
  let wasm = '';
  beforeAll(async () => {
    wasm = (await openWasm(variant)).tfjsName;
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  test.each(PHASE_CASES)('matches the CPU backend, by phases: $name', (c) => {
    const dyShape = conv2dOutShape(c.x, c.filter, c.strides, c.pad);
    const inputs = { dy: randomTensor(dyShape, 17), filter: randomTensor(c.filter, 18) };
    const attrs = { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', inputShape: c.x };
    const terms = c.filter[0] * c.filter[1] * c.filter[3];
    const calls = vi.spyOn(kernelContext(tf.findBackend(wasm)).pool, 'parallelFor');
    const got = runKernelOn(wasm, 'Conv2DBackpropInput', inputs, attrs);
    const names = new Set(calls.mock.calls.map((call) => call[0]));
    expect(names).toContain('f32_conv2d_igemm_phase__wasmsimd');
    expect(names).not.toContain('f32_conv2d_igemm__wasmsimd');
    expectClose(got, runKernelOn('cpu', 'Conv2DBackpropInput', inputs, attrs), 2e-6 * Math.sqrt(terms) + 1e-6);
  });
});

// One input channel: dx has one channel, a dot product per pixel four pixels at a time, whose
// segments fw*c (LeNet's 5x6 = 30) end in a masked vector.
describe.each(KERNEL_VARIANTS)('Conv2DBackpropInput with one input channel (%o)', (variant) => {
  let wasm = '';
  beforeAll(async () => {
    wasm = (await openWasm(variant)).tfjsName;
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  const cases = [LENET_CONV_CASES[0]!, ...CONV_CASES.filter((c) => c.filter[2] === 1 && c.filter[3] > 1 && c.strides[0] * c.strides[1] === 1)];
  test.each(cases)('matches the CPU backend by the one-channel dot product: $name', (c) => {
    const dyShape = conv2dOutShape(c.x, c.filter, c.strides, c.pad);
    const inputs = { dy: randomTensor(dyShape, 19), filter: randomTensor(c.filter, 20) };
    const attrs = { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', inputShape: c.x };
    const terms = c.filter[0] * c.filter[1] * c.filter[3];
    const calls = vi.spyOn(kernelContext(tf.findBackend(wasm)).pool, 'parallelFor');
    const got = runKernelOn(wasm, 'Conv2DBackpropInput', inputs, attrs);
    const names = new Set(calls.mock.calls.map((call) => call[0]));
    expect(names).toContain('f32_conv2d_n1_direct__wasmsimd');
    expectClose(got, runKernelOn('cpu', 'Conv2DBackpropInput', inputs, attrs), 2e-6 * Math.sqrt(terms) + 1e-6);
  });
});
